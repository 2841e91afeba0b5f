"""Les appels système du confinement, par ctypes (aucune dépendance, rien à compiler)."""

import ctypes
import os
import sys

libc = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
if libc is not None:
    libc.syscall.restype = ctypes.c_long
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38


class ConfinementError(OSError):
    pass


def check(result: int, what: str) -> int:
    if result < 0:
        errno = ctypes.get_errno()
        raise ConfinementError(errno, f"{what} : {os.strerror(errno)}")
    return result
