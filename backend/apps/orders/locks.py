"""Verrou d'une paire sur un broker (verrou consultatif PostgreSQL de session) : une seule mise à jour de
position et de protection à la fois, entre les processus (serveur, worker, moteur).

Verrou de session et non de transaction : les Trades de protection sont validés en base avant leur envoi,
verrou tenu ; un processus arrêté le libère avec sa connexion. Réentrant dans une même connexion : seul le
premier niveau parle à la base (les niveaux imbriqués sont comptés sur la connexion du fil).
"""

import zlib
from collections import Counter
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections


def _key(symbol: str) -> int:
    return zlib.crc32(symbol.encode()) - 2**31  # entier signé 32 bits


def _held() -> Counter:
    wrapper = connections[DEFAULT_DB_ALIAS]  # la connexion de ce fil
    if not hasattr(wrapper, "aristobot_symbol_locks"):
        wrapper.aristobot_symbol_locks = Counter()
    return wrapper.aristobot_symbol_locks


@contextmanager
def symbol_lock(broker_id: int, symbol: str):
    key, held = (broker_id, _key(symbol)), _held()
    if held[key]:
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", list(key))
    held[key] = 1
    try:
        yield
    finally:
        del held[key]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", list(key))
