"""Coupure en pleine bougie → reconnexion → rattrapage REST : ni trou ni doublon, unités supérieures une fois."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from asgiref.sync import sync_to_async

from apps.heartbeat.models import HeartbeatStatus
from apps.heartbeat.tests.conftest import START, fast_sleep, ms, play, subscribed, written
from apps.market_data.models import Candle
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)

FOUR_HOURS_START = START.replace(hour=20, minute=0)  # 20:00 UTC : le bloc de 4 h du démarrage
MIDNIGHT = START + timedelta(minutes=10)


def stored(timeframe: str) -> list[Candle]:
    return list(Candle.objects.filter(symbol="BTC/USDT", timeframe=timeframe).order_by("open_time"))


def flushed_status() -> HeartbeatStatus | None:
    """La ligne d'état, une fois la dernière bougie (23:59) prise en compte."""
    status = HeartbeatStatus.load()
    return status if status.last_candle_at == MIDNIGHT - timedelta(milliseconds=1) else None


def expected(minutes: list[Candle], start, length: timedelta) -> tuple:
    """La bougie recalculée ici, depuis les 1m en base, sans le code du heartbeat."""
    inside = [c for c in minutes if start <= c.open_time < start + length]
    return (
        inside[0].open,
        max(c.high for c in inside),
        min(c.low for c in inside),
        inside[-1].close,
        sum((c.volume for c in inside), Decimal(0)),
    )


async def test_a_cut_in_the_middle_of_a_candle_is_backfilled_without_gap_nor_duplicate(
    simulator, listener, start_heartbeat
):
    service = await start_heartbeat()
    await play(simulator, listener, 3)  # 23:50, 23:51, 23:52 clôturées
    await simulator.step()  # 23:53:30, milieu de la bougie 23:53
    simulator.paused = True
    await simulator.drop_clients()
    for _ in range(7):  # jusqu'à 23:57:00 : 23:53 → 23:56 se clôturent pendant la coupure
        await simulator.step()
    await subscribed(simulator, ["BTC/USDT"])
    simulator.paused = False
    await play(simulator, listener, 3)  # 23:57 → 23:59 : la dernière se clôt à minuit
    await listener.wait_candle("BTC/USDT", "4h", FOUR_HOURS_START)
    await written(service)

    minutes = await sync_to_async(stored)("1m")
    assert [c.open_time for c in minutes] == [FOUR_HOURS_START + timedelta(minutes=i) for i in range(240)]
    rest_rows = {row[0]: row for row in simulator.feed.closed["BTCUSDT"]}
    for candle in minutes:
        row = rest_rows[ms(candle.open_time)]
        assert (candle.open, candle.high, candle.low, candle.close, candle.volume) == tuple(
            Decimal(value) for value in row[1:6]
        )
        assert ms(candle.close_time) == row[6]

    published = listener.keys()
    assert set(published.values()) == {1}, [key for key, count in published.items() if count > 1]
    per_timeframe = {"1m": 240, "3m": 80, "5m": 48, "10m": 24, "15m": 16, "1h": 4, "2h": 2, "4h": 1}
    assert Counter(timeframe for _, timeframe, _ in published) == per_timeframe
    for timeframe, count in per_timeframe.items():
        assert len(await sync_to_async(stored)(timeframe)) == count
    for timeframe, length in [("5m", 5), ("10m", 10), ("15m", 15), ("1h", 60), ("2h", 120), ("4h", 240)]:
        start = MIDNIGHT - timedelta(minutes=length)
        candle = listener.candle("BTC/USDT", timeframe, start)
        values = tuple(Decimal(candle[key]) for key in ("open", "high", "low", "close", "volume"))
        assert values == expected(minutes, start, timedelta(minutes=length)), timeframe
        assert candle["close_time"] == (MIDNIGHT - timedelta(milliseconds=1)).isoformat()

    status = await eventually(lambda: sync_to_async(flushed_status)(), message="statut jamais écrit")
    assert status.connected and status.coherent and status.gaps == []
    assert status.counters["backfilled"] == 230 + 4
    assert fast_sleep.delays == [1.0]  # une reconnexion, après 1 s (aléa fixé au maximum)
