"""Hors ligne : le simulateur rejoue un fichier d'événements kline (ici de vraies 1m LTC/BTC) au plus vite ;
le heartbeat en tire des 5m égales à celles de Binance, et signale les minutes absentes chez Binance aussi."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async

from apps.heartbeat.models import HeartbeatStatus
from apps.heartbeat.simulator.feeds import kline_event
from apps.heartbeat.tests.conftest import ms, replay_recording
from apps.market_data.models import Candle
from testing import ltcbtc

pytestmark = pytest.mark.django_db(transaction=True)
# 09:39 et 09:54 manquent dans les données de Binance.
WINDOW = (datetime(2018, 1, 20, 8, 0, tzinfo=UTC), datetime(2018, 1, 20, 12, 0, tzinfo=UTC))


def record(path: Path) -> None:
    """Un enregistrement du flux combiné : une mise à jour à mi-minute, puis la clôture, par minute."""
    with open(path, "w") as file:
        for row in ltcbtc.rows("1m", *WINDOW):
            start = int(row["open_time_ms"])
            candle = [row[key] for key in ("open", "high", "low", "close", "volume")]
            for closed, at in ((False, start + 30_000), (True, start + 60_000)):
                event = kline_event("LTCBTC", start, candle, 10, closed, at)
                file.write(json.dumps({"stream": "ltcbtc@kline_1m", "data": event}) + "\n")


async def test_a_recorded_stream_of_real_candles_gives_binance_own_5m(tmp_path, listener, start_heartbeat):
    record(tmp_path / "ltcbtc.jsonl")
    await replay_recording(tmp_path / "ltcbtc.jsonl", listener, start_heartbeat, until=("LTC/BTC", "4h", WINDOW[0]))

    stored = await sync_to_async(list)(Candle.objects.filter(symbol="LTC/BTC", timeframe="5m").order_by("open_time"))
    binance = {
        int(row["open_time_ms"]): tuple(Decimal(row[k]) for k in ("open", "high", "low", "close", "volume"))
        for row in ltcbtc.rows("5m", *WINDOW)
    }
    assert len(stored) == 48
    assert {ms(c.open_time): (c.open, c.high, c.low, c.close, c.volume) for c in stored} == binance
    # Chaque minute absente a déclenché un rattrapage vain ; le statut montre le trou du dernier.
    status = await sync_to_async(HeartbeatStatus.load)()
    assert status.gaps == [
        {
            "symbol": "LTC/BTC",
            "start": "2018-01-20T09:54:00+00:00",
            "end": "2018-01-20T09:54:00+00:00",
            "minutes": 1,
            "reason": "missing",
        }
    ]
    assert not status.coherent and status.counters["backfilled"] == 0
