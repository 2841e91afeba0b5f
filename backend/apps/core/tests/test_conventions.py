"""Règles de CLAUDE.md vérifiables par programme : vues sans try/except (les refus passent par
`core/api_errors.py`), lignes d'un utilisateur rattachées à lui, réglages lus par `aristobot/settings.py` tous
décrits dans `.env.example`, runner et contrat des stratégies sans Django."""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

APPS = Path(__file__).resolve().parents[2]
BACKEND = APPS.parent
# Vues qui attrapent encore une erreur elles-mêmes (à faire passer par le gestionnaire unique).
VIEWS_WITH_TRY = {"strategies/assistant/views.py"}
# Tables partagées ou techniques, sans propriétaire.
SHARED = {
    "accounts.User",
    "accounts.LoginFailure",
    "core.ServiceBeat",
    "market_data.Candle",
    "market_data.Market",
    "heartbeat.HeartbeatStatus",
    "heartbeat.HeartbeatConfig",
    "alerts.Incident",
}


def _view_modules() -> list[Path]:
    return [
        path
        for path in APPS.rglob("*.py")
        if "tests" not in path.parts and (path.name == "views.py" or path.parent.name == "views")
    ]


def test_views_do_not_catch_errors():
    catching = {
        str(path.relative_to(APPS))
        for path in _view_modules()
        if any(isinstance(node, ast.Try) for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert len(_view_modules()) > 10  # la recherche trouve bien les vues
    assert catching == VIEWS_WITH_TRY


def _user_field(model) -> bool:
    return any(
        field.is_relation
        and (field.many_to_one or field.one_to_one)
        and field.related_model._meta.label == settings.AUTH_USER_MODEL
        for field in model._meta.get_fields()
        if field.concrete
    )


def test_each_user_row_reaches_its_user_in_one_step():
    """`user_id` sur la ligne, ou sur la ligne qu'elle désigne (broker, stratégie, activation, alerte)."""
    far = []
    for model in apps.get_models():
        if not model.__module__.startswith("apps.") or model._meta.label in SHARED or _user_field(model):
            continue
        parents = [
            field.related_model
            for field in model._meta.get_fields()
            if field.concrete and field.is_relation and field.many_to_one and not field.null
        ]
        if not any(_user_field(parent) for parent in parents):
            far.append(model._meta.label)
    assert far == []


def _settings_variables() -> set[str]:
    """Les variables d'environnement que settings.py lit par les fonctions de aristobot/env.py."""
    tree = ast.parse((BACKEND / "aristobot" / "settings.py").read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("env_")
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_every_setting_is_described_in_env_example():
    example = (BACKEND.parent / ".env.example").read_text(encoding="utf-8")
    described = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    variables = _settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "SERVICE_BEAT_SECONDS"} <= variables  # la lecture trouve les réglages
    # WEBHOOK_TRUSTED_PROXY_HEADER : ancien nom de TRUSTED_PROXY_HEADER, cité dans sa description.
    assert sorted(variables - described - {"WEBHOOK_TRUSTED_PROXY_HEADER"}) == []


# Ce que le runner des stratégies (processus sans Django ni secret) peut importer du projet.
RUNNER_MAY_IMPORT = (
    "apps.strategies.runner",
    "apps.strategies.contract",
    "apps.core.fills",
    "aristobot.strategies",  # le paquet synthétique du runner (runner/aliases.py), pas le projet
    "aristobot.indicators",
    "aristobot.utils",
)
DJANGO_WORLD = {"django", "channels", "channels_redis", "rest_framework", "drf_spectacular", "asgiref"}


def test_runner_and_contract_never_import_django():
    found = set()
    for folder in ("runner", "contract"):
        for path in (APPS / "strategies" / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module)
                elif isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
    assert "numpy" in found  # la lecture trouve les imports
    assert sorted(name for name in found if name.split(".")[0] in DJANGO_WORLD) == []
    project = {name for name in found if name.split(".")[0] in ("apps", "aristobot")}
    assert sorted(name for name in project if not name.startswith(RUNNER_MAY_IMPORT)) == []
