"""Le confinement du runner par le système (Linux), posé par le runner lui-même après ses imports et avant
tout code de stratégie. Il tient même si le code a traversé les couches Python (politique, gardes, crochet
d'audit) : l'évasion par `DataFrame.apply("eval", …)` en a été la preuve.

Couches, chacune indépendante des autres (ctypes direct : aucune dépendance, rien à compiler) :
- `namespaces` : espaces de noms utilisateur, PID et réseau sans privilège ; le runner y est le processus 1,
  sa mort tue tout ce qu'il aurait lancé, et son réseau est vide ;
- `landlock` : lecture seule de Python, du venv et du code du runner ; lecture-écriture de son dossier
  temporaire ; rien d'autre (ni `.env`, ni `.data/`, ni `/etc`, ni `/proc`) ; pas de TCP ; pas de signal
  ni de socket abstraite hors de son domaine ;
- `seccomp` : ni exec, ni fork (clone sans CLONE_THREAD), ni ptrace / process_vm_*, ni socket, ni
  io_uring, ni montage, ni changement de droits sur les fichiers ; `no_new_privs` ;
- `rlimits` : mémoire (posée avant), descripteurs, taille de fichier, pas de core, plus de nouvelle tâche
  une fois le fil de lecture lancé.
"""

import ctypes
import os
import signal
import sys
from pathlib import Path

try:
    import resource
except ImportError:  # Windows
    resource = None

LAYERS = ("namespaces", "landlock", "seccomp", "rlimits")
BACKEND_DIR = Path(__file__).resolve().parents[3]
# Le code du runner (lecture seule) ; le reste du dépôt n'est pas lisible.
RUNNER_PATHS = (
    BACKEND_DIR / "apps" / "__init__.py",
    BACKEND_DIR / "apps" / "strategies" / "__init__.py",
    BACKEND_DIR / "apps" / "strategies" / "runner",
    BACKEND_DIR / "apps" / "strategies" / "contract",
)
MAX_OPEN_FILES = 64
MAX_FILE_BYTES = 64 * 1024 * 1024

_libc = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
if _libc is not None:
    _libc.syscall.restype = ctypes.c_long
    _libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC = 0x10000000, 0x20000000, 0x40000000, 0x08000000


class ConfinementError(OSError):
    pass


def _check(result: int, what: str) -> int:
    if result < 0:
        errno = ctypes.get_errno()
        raise ConfinementError(errno, f"{what} : {os.strerror(errno)}")
    return result


# --- Landlock (ABI 1 à 7) -------------------------------------------------------------------------------------

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
    version = _libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), _LANDLOCK_CREATE_RULESET_VERSION)
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
    ruleset = _check(
        _libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0),
        "landlock_create_ruleset",
    )
    try:
        read_dir = _FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR
        for path in read_only_paths():
            _allow(ruleset, path, read_dir if path.is_dir() else _FS_EXECUTE | _FS_READ_FILE)
        _allow(ruleset, Path(workdir), fs & ~_FS_EXECUTE)
        _check(_libc.syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return abi


def _allow(ruleset: int, path: Path, access: int) -> None:
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        rule = _PathBeneathAttr(allowed_access=access, parent_fd=fd)
        _check(
            _libc.syscall(_SYS_LANDLOCK_ADD_RULE, ruleset, _LANDLOCK_RULE_PATH_BENEATH, ctypes.byref(rule), 0),
            f"landlock_add_rule {path}",
        )
    finally:
        os.close(fd)


# --- seccomp (x86_64) -----------------------------------------------------------------------------------------

_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_SYSCALL_BIT = 0x40000000
_SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC = 1, 1
_SYS_SECCOMP = 317
_RET_ALLOW, _RET_ERRNO, _RET_KILL_PROCESS = 0x7FFF0000, 0x00050000, 0x80000000
_EPERM, _ENOSYS = 1, 38
_CLONE_THREAD = 0x00010000
_SYS_CLONE, _SYS_CLONE3 = 56, 435
# Refusés (EPERM) : exec, fork, traçage, réseau, io_uring, montages et espaces de noms, modules, clés,
# bpf, droits sur les fichiers, poignées de fichiers (contournent les chemins), mknod.
DENIED_SYSCALLS = {
    "fork": 57,
    "vfork": 58,
    "execve": 59,
    "execveat": 322,
    "ptrace": 101,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "kcmp": 312,
    "socket": 41,
    "connect": 42,
    "accept": 43,
    "bind": 49,
    "listen": 50,
    "socketpair": 53,
    "accept4": 288,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "unshare": 272,
    "setns": 308,
    "mount": 165,
    "umount2": 166,
    "pivot_root": 155,
    "chroot": 161,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "mount_setattr": 442,
    "init_module": 175,
    "delete_module": 176,
    "finit_module": 313,
    "kexec_load": 246,
    "kexec_file_load": 320,
    "reboot": 169,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "bpf": 321,
    "perf_event_open": 298,
    "userfaultfd": 323,
    "personality": 135,
    "chmod": 90,
    "fchmod": 91,
    "chown": 92,
    "fchown": 93,
    "lchown": 94,
    "fchownat": 260,
    "fchmodat": 268,
    "fchmodat2": 452,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    "mknod": 133,
    "mknodat": 259,
    "tkill": 200,
    "pidfd_open": 434,
    "pidfd_send_signal": 424,
    "pidfd_getfd": 438,
}
# Signaux : seulement à soi-même (le premier argument est le PID du runner).
SELF_ONLY_SYSCALLS = {"kill": 62, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297}


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_SockFilter))]


_LD_ABS_W, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_OFFSET_NR, _OFFSET_ARCH, _OFFSET_ARG0 = 0, 4, 16


def seccomp_program(own_pid: int) -> list[tuple[int, int, int, int]]:
    """Le filtre BPF : (code, saut si vrai, saut si faux, k) ; les sauts visent des étiquettes résolues ici."""
    deny, enosys, allow = "deny", "enosys", "allow"
    program: list = [
        (_LD_ABS_W, 0, 0, _OFFSET_ARCH),
        (_JEQ, 1, 0, _AUDIT_ARCH_X86_64),
        (_RET, 0, 0, _RET_KILL_PROCESS),
        (_LD_ABS_W, 0, 0, _OFFSET_NR),
        (_JGE, deny, 0, _X32_SYSCALL_BIT),
        *[(_JEQ, deny, 0, number) for number in DENIED_SYSCALLS.values()],
        (_JEQ, enosys, 0, _SYS_CLONE3),  # la glibc se rabat alors sur clone pour ses fils
        (_JEQ, "clone", 0, _SYS_CLONE),
        *[(_JEQ, "self", 0, number) for number in SELF_ONLY_SYSCALLS.values()],
        (_RET, 0, 0, _RET_ALLOW),
        ("clone", _LD_ABS_W, 0, 0, _OFFSET_ARG0),
        (_JSET, allow, deny, _CLONE_THREAD),
        ("self", _LD_ABS_W, 0, 0, _OFFSET_ARG0),
        (_JEQ, allow, deny, own_pid),
        ("deny", _RET, 0, 0, _RET_ERRNO | _EPERM),
        ("enosys", _RET, 0, 0, _RET_ERRNO | _ENOSYS),
        ("allow", _RET, 0, 0, _RET_ALLOW),
    ]
    labels = {item[0]: i for i, item in enumerate(program) if isinstance(item[0], str)}
    resolved = []
    for i, item in enumerate(program):
        code, jt, jf, k = item[1:] if isinstance(item[0], str) else item
        jt, jf = (labels[j] - i - 1 if isinstance(j, str) else j for j in (jt, jf))
        resolved.append((code, jt, jf, k))
    return resolved


def apply_seccomp() -> None:
    if sys.platform != "linux" or os.uname().machine != "x86_64":
        raise ConfinementError(0, f"filtre seccomp non écrit pour {os.uname().machine}")
    instructions = seccomp_program(os.getpid())
    table = (_SockFilter * len(instructions))(*[_SockFilter(*ins) for ins in instructions])
    program = _SockFprog(len(instructions), table)
    _check(
        _libc.syscall(_SYS_SECCOMP, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(program)),
        "seccomp",
    )


# --- Espaces de noms -----------------------------------------------------------------------------------------


def enter_namespaces() -> None:
    """Nouveaux espaces utilisateur, PID, réseau et IPC, puis un fork : l'enfant y est le processus 1 (sa mort
    tue tout l'espace) ; le parent, hors de l'espace, ne fait plus qu'attendre et rendre son code de sortie."""
    uid, gid = os.getuid(), os.getgid()
    _check(_libc.unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC), "unshare")
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
    Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    child = os.fork()
    if child:
        _wait_and_exit(child)
    _die_with_parent()


def _wait_and_exit(child: int) -> None:
    # Pas de PDEATHSIG ici : il suivrait le *fil* du processus principal qui a lancé le runner. Si ce processus
    # meurt, l'enfant lit la fin de son tube et sort ; ce parent le suit.
    os.closerange(0, MAX_OPEN_FILES * 16)  # les tubes restent à l'enfant seul
    while True:
        try:
            _, status = os.waitpid(child, 0)
        except InterruptedError:
            continue
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _die_with_parent() -> None:
    parent = os.getppid()
    _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PDEATHSIG)")
    if os.getppid() != parent:  # le parent est mort avant le prctl
        os._exit(1)


# --- Le tout -------------------------------------------------------------------------------------------------


def inherited_descriptors() -> dict[int, str]:
    """Les descripteurs ouverts et leur cible (lu avant Landlock, qui ferme /proc)."""
    result = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            result[int(name)] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
    return result


def set_resource_limits() -> None:
    for limit, value in (
        (resource.RLIMIT_NOFILE, MAX_OPEN_FILES),
        (resource.RLIMIT_FSIZE, MAX_FILE_BYTES),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(limit, (value, value))


def forbid_new_tasks() -> None:
    """Plus aucune tâche (processus ou fil) pour ce compte dans l'espace du runner ; après le fil de lecture.
    Sans effet pour root (le noyau l'exempte) : seccomp et l'espace PID en tiennent lieu."""
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))


def confine(workdir: str, *, keep_fds: set[int], layers=LAYERS) -> dict:
    """Pose les couches demandées ; rend {"missing": {couche: raison en français}, "landlock_abi", "fds"}.
    À appeler avant tout fil (Landlock ne s'applique qu'au fil appelant et à ses futurs enfants)."""
    missing: dict[str, str] = {}
    if sys.platform != "linux":
        return {"missing": dict.fromkeys(LAYERS, "pas sous Linux"), "landlock_abi": 0, "fds": {}}
    if "namespaces" in layers:
        try:
            enter_namespaces()
        except OSError as exc:
            missing["namespaces"] = f"espaces de noms refusés par le système ({exc})"
    for fd in inherited_descriptors():
        if fd not in keep_fds:
            try:
                os.close(fd)
            except OSError:
                pass
    fds = inherited_descriptors()
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(NO_NEW_PRIVS)")
    if "rlimits" in layers:
        set_resource_limits()
    abi = 0
    if "landlock" in layers:
        try:
            abi = apply_landlock(workdir)
        except OSError as exc:
            missing["landlock"] = f"Landlock indisponible ({exc})"
        else:
            if abi < 4:
                missing["landlock"] = f"Landlock ABI {abi} : pas de filtre réseau (ABI 4 requise)"
    if "seccomp" in layers:
        try:
            apply_seccomp()
        except OSError as exc:
            missing["seccomp"] = f"seccomp indisponible ({exc})"
    for layer in LAYERS:
        if layer not in layers:
            missing[layer] = f"couche « {layer} » désactivée"
    return {"missing": missing, "landlock_abi": abi, "fds": fds}


def kernel_support() -> dict[str, str]:
    """Ce que le noyau du processus principal refuserait au runner (pour l'état du système), sans rien poser :
    {couche: raison}. Vide : confinement complet possible."""
    if sys.platform != "linux":
        return {"système": "pas sous Linux : ni Landlock ni seccomp (Windows : Job object seulement)"}
    missing = {}
    abi = landlock_abi()
    if abi < 4:
        missing["landlock"] = f"Landlock ABI {abi} (4 requise)"
    if os.uname().machine != "x86_64":
        missing["seccomp"] = f"filtre seccomp non écrit pour {os.uname().machine}"
    elif not Path("/proc/sys/kernel/seccomp/actions_avail").exists():
        missing["seccomp"] = "seccomp absent du noyau"
    if _read_int("/proc/sys/user/max_user_namespaces", 1) < 1 or (
        os.getuid() != 0 and _read_int("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", 0) == 1
    ):
        missing["namespaces"] = "espaces de noms utilisateur refusés par le système"
    return missing


def _read_int(path: str, default: int) -> int:
    try:
        return int(Path(path).read_text())
    except (OSError, ValueError):
        return default
