"""Arrêt puis redémarrage du service : les minutes manquées sont rattrapées, rien n'est publié deux fois."""

from collections import Counter
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async

from apps.heartbeat.tests.conftest import START, play, written
from apps.market_data.models import Candle

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_restart_backfills_what_was_missed_and_publishes_each_candle_once(simulator, listener, start_heartbeat):
    await start_heartbeat()
    await play(simulator, listener, 3)  # 23:50 → 23:52
    await start_heartbeat.stop_all()
    for _ in range(8):  # 23:53 → 23:56 clôturées, service arrêté
        await simulator.step()
    service = await start_heartbeat()
    await play(simulator, listener, 4)  # 23:57 → minuit
    await listener.wait_candle("BTC/USDT", "4h", START.replace(hour=20, minute=0))
    await written(service)

    published = listener.keys()
    assert set(published.values()) == {1}, [key for key, count in published.items() if count > 1]
    assert Counter(timeframe for _, timeframe, _ in published) == {
        "1m": 241,
        "3m": 80,
        "5m": 48,
        "10m": 24,
        "15m": 16,
        "1h": 4,
        "2h": 2,
        "4h": 1,
    }
    minutes = await sync_to_async(list)(
        Candle.objects.filter(timeframe="1m").values_list("open_time", flat=True).order_by("open_time")
    )
    assert minutes == [START.replace(hour=20, minute=0) + timedelta(minutes=i) for i in range(241)]
