"""Le confinement du runner par le système (Linux), posé par le runner lui-même après ses imports et avant
tout code de stratégie. Il tient même si le code a traversé les couches Python (politique, gardes, crochet
d'audit) : l'évasion par `DataFrame.apply("eval", …)` en a été la preuve.

Couches, chacune indépendante des autres et dans son module (ctypes direct : aucune dépendance, rien à compiler) :
- `namespaces` : espaces de noms utilisateur, PID et réseau sans privilège ; le runner y est le processus 1,
  sa mort tue tout ce qu'il aurait lancé, et son réseau est vide ;
- `landlock` : lecture seule de Python, du venv et du code du runner ; lecture-écriture de son dossier
  temporaire ; rien d'autre (ni `.env`, ni `.data/`, ni `/etc`, ni `/proc`) ; pas de TCP ; pas de signal
  ni de socket abstraite hors de son domaine ;
- `seccomp` : ni exec, ni fork (clone sans CLONE_THREAD), ni ptrace / process_vm_*, ni socket, ni
  io_uring, ni montage, ni changement de droits sur les fichiers ; `no_new_privs` ;
- `rlimits` : mémoire (posée avant), descripteurs, taille de fichier, pas de core, plus de nouvelle tâche
  une fois le fil de lecture lancé.
Ce module les pose ensemble (`confine`) et dit ce que le noyau refuserait (`kernel_support`).
"""

import os
import sys
from pathlib import Path

from apps.strategies.runner.confinement.landlock import BACKEND_DIR, apply_landlock, landlock_abi, read_only_paths
from apps.strategies.runner.confinement.namespaces import enter_namespaces
from apps.strategies.runner.confinement.rlimits import forbid_new_tasks, set_resource_limits
from apps.strategies.runner.confinement.seccomp import apply_seccomp
from apps.strategies.runner.confinement.syscalls import PR_SET_NO_NEW_PRIVS, ConfinementError, check, libc

__all__ = [
    "BACKEND_DIR",
    "LAYERS",
    "ConfinementError",
    "confine",
    "forbid_new_tasks",
    "kernel_support",
    "landlock_abi",
    "read_only_paths",
]

LAYERS = ("namespaces", "landlock", "seccomp", "rlimits")


def inherited_descriptors() -> dict[int, str]:
    """Les descripteurs ouverts et leur cible (lu avant Landlock, qui ferme /proc)."""
    result = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            result[int(name)] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
    return result


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
    check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(NO_NEW_PRIVS)")
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
