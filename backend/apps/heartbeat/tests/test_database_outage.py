"""La publication n'attend pas la base : base en panne, les bougies partent quand même, une fois, et sont
enregistrées à son retour."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from apps.heartbeat.tests.conftest import START, play, written
from apps.market_data.models import Candle
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)


def refuse_candles(refuse: bool) -> None:
    """Une vraie erreur PostgreSQL à chaque INSERT de bougie, le temps de la panne."""
    with connection.cursor() as cursor:
        if refuse:
            cursor.execute(
                "CREATE FUNCTION refuse_candle() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'panne simulée'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_candle BEFORE INSERT ON market_data_candle "
                "FOR EACH STATEMENT EXECUTE FUNCTION refuse_candle()"
            )
        else:
            cursor.execute("DROP TRIGGER IF EXISTS refuse_candle ON market_data_candle")
            cursor.execute("DROP FUNCTION IF EXISTS refuse_candle()")


def stored_minutes() -> list:
    return list(
        Candle.objects.filter(timeframe="1m", open_time__gte=START)
        .order_by("open_time")
        .values_list("open_time", flat=True)
    )


async def test_candles_are_published_during_a_database_outage_then_stored_once(simulator, listener, start_heartbeat):
    service = await start_heartbeat()
    await play(simulator, listener, 1)  # 23:50
    await written(service)
    await sync_to_async(refuse_candles)(True)
    try:
        await play(simulator, listener, 3)  # 23:51 → 23:53 publiées pendant la panne
        await eventually(lambda: "panne simulée" in service.status.last_error, message=service.status.last_error)
        assert await sync_to_async(stored_minutes)() == [START]
    finally:
        await sync_to_async(refuse_candles)(False)
    await written(service)  # nouvel essai chaque seconde

    assert await sync_to_async(stored_minutes)() == [START + timedelta(minutes=i) for i in range(4)]
    published = listener.keys()
    assert set(published.values()) == {1}
    assert ("BTC/USDT", "3m", START.replace(minute=51).isoformat()) in published  # 23:51 → 23:53, pendant la panne
    assert await sync_to_async(Candle.objects.filter(timeframe="3m", open_time=START.replace(minute=51)).count)() == 1
