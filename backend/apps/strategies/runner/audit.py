"""Le crochet d'audit du runner (`sys.addaudithook`), posé après ses imports : plus de fichier, de réseau,
de sous-processus, de ctypes ni de nouvel import, même par numpy ou pandas (read_csv, np.load…).
Un crochet ne se retire pas ; il lève `SandboxViolation`."""

import sys

from apps.strategies.runner.guards import SandboxViolation
from apps.strategies.runner.policy import STRATEGY_FILENAME

_REFUSED_PREFIXES = (
    "os.",
    "subprocess.",
    "socket.",
    "ctypes.",
    "shutil.",
    "resource.",
    "signal.",
    "mmap.",
    "fcntl.",
    "pty.",
    "gc.",
    "marshal.",
    "pickle.",
    "urllib.",
    "http.",
    "ftplib.",
    "smtplib.",
    "poplib.",
    "imaplib.",
    "nntplib.",
    "telnetlib.",
    "webbrowser.",
    "sqlite3.",
    "glob.",
    "tempfile.",
    "syslog.",
    "winreg.",
    "msvcrt.",
    "_winapi.",
    "cpython.",
    "sys.",
    "code.",
    "function.",
    "setopencodehook",
)
# pandas lit la pile pour situer ses avertissements ; un cadre ne parvient pas au code utilisateur (gardes).
_ALLOWED_EVENTS = {"sys._getframe", "sys.excepthook"}
# compile seul ne fait rien (RestrictedPython analyse des bouts de code) ; exec est réservé au chargeur.
_REFUSED_EVENTS = {"open", "import", "exec"}
_LABELS = {
    "open": "ouverture de fichier",
    "import": "import",
    "exec": "exec",
    "socket": "réseau",
    "subprocess": "sous-processus",
    "os": "système",
    "ctypes": "ctypes",
}


def _describe(event: str, args: tuple) -> str:
    label = _LABELS.get(event.partition(".")[0], event)
    detail = args[0] if args and isinstance(args[0], (str, bytes, int)) else ""
    return f"{label} ({event}{' ' + repr(detail) if detail != '' else ''})"


def _strategy_code(event: str, args: tuple) -> bool:
    """Seul le code de la stratégie (compilé par le chargeur sous la politique) peut être exécuté."""
    return event == "exec" and getattr(args[0], "co_filename", None) == STRATEGY_FILENAME


def _hook(event: str, args: tuple) -> None:
    if event in _REFUSED_EVENTS:
        refused = not _strategy_code(event, args)
    else:
        refused = event not in _ALLOWED_EVENTS and event.startswith(_REFUSED_PREFIXES)
    if refused:
        raise SandboxViolation(f"Interdit dans une stratégie : {_describe(event, args)}.")


def install_audit_hook() -> None:
    sys.addaudithook(_hook)
