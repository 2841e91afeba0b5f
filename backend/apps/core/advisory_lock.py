"""Verrou consultatif PostgreSQL de session, nommé par deux entiers : une seule section à la fois entre les processus
(serveur, worker, moteur) pour une même clé.

Verrou de session et non de transaction : ce qu'il protège peut valider en base pendant qu'il est tenu ; un
processus arrêté le libère avec sa connexion. Réentrant dans une même connexion : seul le premier niveau parle à la
base (les niveaux imbriqués sont comptés sur la connexion du fil).
"""

from collections import Counter
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections


def _held() -> Counter:
    wrapper = connections[DEFAULT_DB_ALIAS]  # la connexion de ce fil
    if not hasattr(wrapper, "aristobot_advisory_locks"):
        wrapper.aristobot_advisory_locks = Counter()
    return wrapper.aristobot_advisory_locks


@contextmanager
def advisory_lock(space: int, key: int):
    """`space`, `key` : deux entiers signés de 32 bits (pg_advisory_lock(int, int))."""
    pair, held = (space, key), _held()
    if held[pair]:
        held[pair] += 1
        try:
            yield
        finally:
            held[pair] -= 1
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", list(pair))
    held[pair] = 1
    try:
        yield
    finally:
        del held[pair]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", list(pair))
