"""Verrou d'une paire sur un broker (verrou consultatif PostgreSQL de session) : une seule mise à jour de
position et de protection à la fois, entre les processus (serveur, worker, moteur).

Verrou de session et non de transaction : les Trades de protection sont validés en base avant leur envoi,
verrou tenu ; un processus arrêté le libère avec sa connexion. Réentrant dans une même connexion.
"""

import zlib
from contextlib import contextmanager

from django.db import connection


def _key(symbol: str) -> int:
    return zlib.crc32(symbol.encode()) - 2**31  # entier signé 32 bits


@contextmanager
def symbol_lock(broker_id: int, symbol: str):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [broker_id, _key(symbol)])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [broker_id, _key(symbol)])
