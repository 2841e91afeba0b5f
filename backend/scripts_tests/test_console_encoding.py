"""Console Windows (cp850 / cp1252) : tout ce que les commandes écrivent ou journalisent s'y encode, et la
journalisation ne lève jamais sur un caractère que la console ignore."""

import ast
import io
import logging
from pathlib import Path

import pytest

from aristobot.console import ConsoleHandler
from scripts_tests.conftest import ROOT

BACKEND = ROOT / "backend"
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
MESSAGE_EXCEPTIONS = {"CommandError", "SystemExit", "ImproperlyConfigured", "UsageError", "Failure"}
CONSOLES = ("cp850", "cp1252")


def strings_in(node: ast.AST) -> list[str]:
    return [child.value for child in ast.walk(node) if isinstance(child, ast.Constant) and isinstance(child.value, str)]


def is_console_call(call: ast.Call) -> bool:
    """print(), logger.info()..., self.stdout.write(), raise CommandError(...) : ce qui finit sur la console."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "print" or func.id in MESSAGE_EXCEPTIONS
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in LOG_METHODS:
        return True
    if func.attr == "write" and isinstance(func.value, ast.Attribute):
        return func.value.attr in ("stdout", "stderr")
    return func.attr in MESSAGE_EXCEPTIONS


def console_strings(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            if is_console_call(node):
                found += [(node.lineno, text) for arg in node.args for text in strings_in(arg)]
            found += [
                (node.lineno, text)
                for keyword in node.keywords
                if keyword.arg == "help"
                for text in strings_in(keyword.value)
            ]
        elif isinstance(node, ast.ClassDef) and node.name == "Command":
            found += [
                (item.lineno, text)
                for item in node.body
                if isinstance(item, ast.Assign)
                and any(getattr(target, "id", None) == "help" for target in item.targets)
                for text in strings_in(item.value)
            ]
    return found


def unencodable(texts: list[tuple[Path, int, str]]) -> list[str]:
    bad = []
    for path, line, text in texts:
        for console in CONSOLES:
            try:
                text.encode(console)
            except UnicodeEncodeError:
                bad.append(f"{path.relative_to(ROOT)}:{line} ({console}) : {text!r}")
    return bad


def backend_sources() -> list[Path]:
    skipped = ("tests", "e2e", "scripts_tests", "migrations")
    return [path for path in BACKEND.rglob("*.py") if not set(path.relative_to(BACKEND).parts) & set(skipped)]


def test_backend_prints_and_logs_only_console_characters():
    texts = [(path, line, text) for path in backend_sources() for line, text in console_strings(path)]
    assert len(texts) > 50  # l'analyse trouve bien les messages
    assert unencodable(texts) == []


def test_run_py_and_scripts_write_only_console_characters():
    """Toute chaîne de run.py et de scripts/ (l'aide de run.py est sa docstring)."""
    paths = [ROOT / "run.py", *sorted((ROOT / "scripts").glob("*.py"))]
    texts = [
        (path, node.lineno, node.value)
        for path in paths
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    assert unencodable(texts) == []


@pytest.mark.parametrize("console", CONSOLES)
def test_logging_never_raises_on_an_unencodable_character(console, monkeypatch):
    errors = []
    monkeypatch.setattr(logging.Handler, "handleError", lambda self, record: errors.append(record))
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=console, errors="strict", write_through=True)
    handler = ConsoleHandler(stream)
    logger = logging.getLogger("aristobot.tests.console")
    logger.addHandler(handler)
    try:
        logger.warning("Ordre exécuté \u2713 \u2192 BTC/USDT %s", "\U0001f680")
    finally:
        logger.removeHandler(handler)
    assert errors == []
    assert raw.getvalue().decode(console) == "Ordre exécuté \\u2713 \\u2192 BTC/USDT \\U0001f680\n"


def test_console_handler_is_the_one_configured():
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["class"] == "aristobot.console.ConsoleHandler"
    assert any(isinstance(handler, ConsoleHandler) for handler in logging.getLogger().handlers)
