"""Après un trou que le rattrapage ne peut pas combler (53 minutes absentes du REST aussi), les bougies 3m…4h qui
contiendraient des minutes manquantes ne sont ni publiées ni enregistrées ; celles d'avant et d'après, si
(vraies 1m LTC/BTC)."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async

from apps.heartbeat.models import HeartbeatStatus
from apps.heartbeat.simulator.feeds import kline_event
from apps.heartbeat.tests.conftest import ms, replay_recording
from apps.market_data.models import Candle
from testing import ltcbtc

pytestmark = pytest.mark.django_db(transaction=True)
START, END = datetime(2018, 1, 20, 8, 0, tzinfo=UTC), datetime(2018, 1, 20, 12, 1, tzinfo=UTC)
LOST = (datetime(2018, 1, 20, 10, 0, tzinfo=UTC), datetime(2018, 1, 20, 10, 53, tzinfo=UTC))


def record(path: Path) -> None:
    with open(path, "w") as file:
        for row in ltcbtc.rows("1m"):
            start = int(row["open_time_ms"])
            if not ms(START) <= start < ms(END) or ms(LOST[0]) <= start < ms(LOST[1]):
                continue
            candle = [row[key] for key in ("open", "high", "low", "close", "volume")]
            event = kline_event("LTCBTC", start, candle, 10, True, start + 60_000)
            file.write(json.dumps({"stream": "ltcbtc@kline_1m", "data": event}) + "\n")


async def test_no_candle_is_made_from_a_lost_hour(tmp_path, listener, start_heartbeat):
    record(tmp_path / "trou.jsonl")
    last_hour = datetime(2018, 1, 20, 11, 0, tzinfo=UTC)
    await replay_recording(tmp_path / "trou.jsonl", listener, start_heartbeat, until=("LTC/BTC", "1h", last_hour))

    def opens(timeframe):
        return {c.open_time.strftime("%H:%M") for c in Candle.objects.filter(symbol="LTC/BTC", timeframe=timeframe)}

    hours, fours = await sync_to_async(opens)("1h"), await sync_to_async(opens)("4h")
    fifteens = await sync_to_async(opens)("15m")
    assert hours == {"08:00", "09:00", "11:00"}  # 10:00 n'avait que 7 minutes sur 60
    assert "08:00" not in fours  # le bloc 08:00–12:00 contient le trou
    assert {"10:45", "10:30", "10:15", "10:00"}.isdisjoint(fifteens) and {"09:45", "11:00"} <= fifteens
    assert listener.candle("LTC/BTC", "1h", datetime(2018, 1, 20, 10, 0, tzinfo=UTC)) is None
    status = await sync_to_async(HeartbeatStatus.load)()
    assert not status.coherent
    assert {
        "symbol": "LTC/BTC",
        "start": "2018-01-20T10:00:00+00:00",
        "end": "2018-01-20T10:52:00+00:00",
        "minutes": 53,
        "reason": "missing",
    } in status.gaps
