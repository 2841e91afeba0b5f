"""Couche `namespaces` : espaces de noms utilisateur, PID, réseau et IPC sans privilège ; le runner y est le
processus 1, sa mort tue tout ce qu'il aurait lancé, et son réseau est vide."""

import os
import signal
from pathlib import Path

from apps.strategies.runner.confinement.rlimits import MAX_OPEN_FILES
from apps.strategies.runner.confinement.syscalls import PR_SET_PDEATHSIG, check, libc

CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC = 0x10000000, 0x20000000, 0x40000000, 0x08000000


def enter_namespaces() -> None:
    """Nouveaux espaces utilisateur, PID, réseau et IPC, puis un fork : l'enfant y est le processus 1 (sa mort
    tue tout l'espace) ; le parent, hors de l'espace, ne fait plus qu'attendre et rendre son code de sortie."""
    uid, gid = os.getuid(), os.getgid()
    check(libc.unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC), "unshare")
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
    check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PDEATHSIG)")
    if os.getppid() != parent:  # le parent est mort avant le prctl
        os._exit(1)
