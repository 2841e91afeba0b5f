"""Couche `landlock` (ABI 1 à 7) : lecture seule de Python, du venv et du code du runner ; lecture-écriture de
son dossier temporaire ; rien d'autre (ni `.env`, ni `.data/`, ni `/etc`, ni `/proc`) ; pas de TCP ; pas de
signal ni de socket abstraite hors de son domaine."""

import ctypes
import os
import sys
from pathlib import Path

from apps.strategies.runner.confinement.syscalls import ConfinementError, check, libc

BACKEND_DIR = Path(__file__).resolve().parents[4]
# Le code du runner (lecture seule) ; le reste du dépôt n'est pas lisible.
RUNNER_PATHS = (
    BACKEND_DIR / "apps" / "__init__.py",
    BACKEND_DIR / "apps" / "strategies" / "__init__.py",
    BACKEND_DIR / "apps" / "strategies" / "runner",
    BACKEND_DIR / "apps" / "strategies" / "contract",
)

_SYS_LANDLOCK_CREATE_RULESET, _SYS_LANDLOCK_ADD_RULE, _SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_ABI1 = (1 << 13) - 1  # EXECUTE … MAKE_SYM
_FS_REFER, _FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    """Version de Landlock offerte par le noyau (0 : absent ou désactivé)."""
    if sys.platform != "linux":
        return 0
    version = libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), _LANDLOCK_CREATE_RULESET_VERSION)
    return max(int(version), 0)


def _fs_rights(abi: int) -> int:
    rights = _FS_ABI1
    if abi >= 2:
        rights |= _FS_REFER
    if abi >= 3:
        rights |= _FS_TRUNCATE
    if abi >= 5:
        rights |= _FS_IOCTL_DEV
    return rights


def read_only_paths(entries: list[str] | None = None) -> list[Path]:
    """Python, la bibliothèque standard, le venv (les entrées de sys.path) et le code du runner. Jamais un
    dossier qui contient le dépôt (`.env` serait dessous), ni `backend/` ou ce qui est dedans (`.data/`,
    le reste du code) : `backend/` est en tête de sys.path, une installation « éditable » l'y mettrait aussi.
    Le venv dans le dépôt (`.venv/lib/…/site-packages`) reste lisible : il ne contient aucun secret."""
    repository = BACKEND_DIR.parent
    paths = []
    for entry in sys.path if entries is None else entries:
        if not entry or not os.path.exists(entry):
            continue
        path = Path(entry).resolve()
        if path in (repository, BACKEND_DIR) or path in repository.parents or BACKEND_DIR in path.parents:
            continue
        paths.append(path)
    return paths + [path for path in RUNNER_PATHS if path.exists()]


def apply_landlock(workdir: str) -> int:
    abi = landlock_abi()
    if abi < 1:
        raise ConfinementError(0, "Landlock absent du noyau")
    if len(os.listdir("/proc/self/task")) != 1:  # il ne confinerait que le fil appelant
        raise ConfinementError(0, "plusieurs fils avant Landlock")
    fs = _fs_rights(abi)
    attr = _RulesetAttr(
        handled_access_fs=fs,
        handled_access_net=(_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0,
        scoped=(_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL) if abi >= 6 else 0,
    )
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    ruleset = check(
        libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0),
        "landlock_create_ruleset",
    )
    try:
        read_dir = _FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR
        for path in read_only_paths():
            _allow(ruleset, path, read_dir if path.is_dir() else _FS_EXECUTE | _FS_READ_FILE)
        _allow(ruleset, Path(workdir), fs & ~_FS_EXECUTE)
        check(libc.syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return abi


def _allow(ruleset: int, path: Path, access: int) -> None:
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        rule = _PathBeneathAttr(allowed_access=access, parent_fd=fd)
        check(
            libc.syscall(_SYS_LANDLOCK_ADD_RULE, ruleset, _LANDLOCK_RULE_PATH_BENEATH, ctypes.byref(rule), 0),
            f"landlock_add_rule {path}",
        )
    finally:
        os.close(fd)
