"""Couche `seccomp` (x86_64) : ni exec, ni fork (clone sans CLONE_THREAD), ni ptrace / process_vm_*, ni socket,
ni io_uring, ni montage, ni changement de droits sur les fichiers ; signaux à soi-même seulement."""

import ctypes
import os
import sys

from apps.strategies.runner.confinement.syscalls import ConfinementError, check, libc

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
    check(
        libc.syscall(_SYS_SECCOMP, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(program)),
        "seccomp",
    )
