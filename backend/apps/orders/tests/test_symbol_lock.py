"""Le verrou de paire : réentrant dans un fil (un seul verrou PostgreSQL, pris au premier niveau, rendu au
dernier) ; pendant qu'il est tenu, une autre connexion ne le prend pas."""

import threading
import zlib

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from apps.orders.locks import symbol_lock

pytestmark = pytest.mark.django_db(transaction=True)
KEY = (7, zlib.crc32(b"BTC/USDT") - 2**31)


def taken_elsewhere() -> bool:
    """Une autre connexion (autre fil) essaie le même verrou ; le rend si elle l'a eu."""
    result = []

    def attempt():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", list(KEY))
            got = cursor.fetchone()[0]
            if got:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", list(KEY))
        result.append(not got)
        connections.close_all()

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join(timeout=10)
    return result[0]


def test_a_nested_lock_talks_to_the_database_once_and_holds_until_the_outer_one_ends():
    with CaptureQueriesContext(connection) as queries:
        with symbol_lock(*KEY[:1], "BTC/USDT"):
            with symbol_lock(*KEY[:1], "BTC/USDT"):
                assert taken_elsewhere()
            assert taken_elsewhere()  # l'imbriqué ne l'a pas rendu
        assert not taken_elsewhere()

    sql = [q["sql"] for q in queries.captured_queries if "advisory" in q["sql"]]
    assert len(sql) == 2 and "pg_advisory_lock" in sql[0] and "pg_advisory_unlock" in sql[1]


def test_the_lock_is_released_when_the_block_raises():
    with pytest.raises(RuntimeError):
        with symbol_lock(7, "BTC/USDT"):
            with symbol_lock(7, "BTC/USDT"):
                raise RuntimeError("boum")
    assert not taken_elsewhere()
    with symbol_lock(7, "BTC/USDT"):  # repris normalement ensuite
        assert taken_elsewhere()
