"""Couche `rlimits` : descripteurs, taille de fichier, pas de core ; plus de nouvelle tâche une fois le fil de
lecture lancé (le plafond mémoire est posé avant, par le runner)."""

try:
    import resource
except ImportError:  # Windows
    resource = None

MAX_OPEN_FILES = 64
MAX_FILE_BYTES = 64 * 1024 * 1024


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
