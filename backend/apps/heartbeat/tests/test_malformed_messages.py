"""Messages illisibles, champs inconnus, symbole non suivi : ignorés et comptés, le service continue."""

import json

import pytest
from asgiref.sync import sync_to_async

from apps.heartbeat.models import HeartbeatStatus
from apps.heartbeat.simulator.feeds import kline_event
from apps.heartbeat.tests.conftest import START, ms, play, written
from apps.market_data.models import Candle
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)


def kline(market: str, minute_ms: int, closed: bool = False, **changes) -> dict:
    event = kline_event(market, minute_ms, ["1", "2", "0.5", "1.5", "10"], 3, closed, minute_ms + 1000)
    event["k"].update(changes)
    return event


def saved_counters() -> dict | None:
    """Les compteurs écrits dans HeartbeatStatus, une fois le dernier message compté."""
    counters = HeartbeatStatus.load().counters
    return counters if counters.get("messages") == 9 + 4 else None  # 9 envoyés ici, 4 du simulateur


async def test_bad_messages_are_counted_and_ignored_while_the_service_goes_on(simulator, listener, start_heartbeat):
    service = await start_heartbeat()
    await play(simulator, listener, 1)  # 23:50 clôturée
    minute = ms(START) + 60_000  # 23:51, en cours
    with_unknown_fields = {**kline("BTCUSDT", minute), "nouveau": {"champ": 1}}
    with_unknown_fields["k"]["zz"] = "inconnu"
    for text in [
        "{pas du json",
        "[1, 2, 3]",
        json.dumps({"stream": "btcusdt@kline_1m", "data": kline("BTCUSDT", minute, t="12")}),
        json.dumps({"stream": "btcusdt@kline_1m", "data": kline("BTCUSDT", minute, o="NaN")}),
        json.dumps({"stream": "btcusdt@kline_1m", "data": kline("BTCUSDT", minute, closed=True, h="abc")}),
        json.dumps({"stream": "ethusdt@kline_1m", "data": kline("ETHUSDT", minute, closed=True)}),
        json.dumps({"stream": "btcusdt@kline_5m", "data": kline("BTCUSDT", minute, closed=True, i="5m")}),
        json.dumps({"stream": "btcusdt@trade", "data": {"e": "trade", "s": "BTCUSDT"}}),
        json.dumps({"stream": "btcusdt@kline_1m", "data": with_unknown_fields}),
    ]:
        await simulator.send_raw(text)
    await play(simulator, listener, 1)  # 23:51 clôturée : le service tourne toujours

    counters = await eventually(lambda: sync_to_async(saved_counters)(), message="compteurs jamais écrits")
    assert counters["malformed"] == 5 and counters["ignored"] == 3
    raw = listener.raw_events()
    assert any(event.get("nouveau") == {"champ": 1} and event["k"]["zz"] == "inconnu" for event in raw)
    assert {event["s"] for event in raw} == {"BTCUSDT"}
    assert all(event["k"]["i"] == "1m" for event in raw)
    # La kline close au prix illisible n'a rien produit ; la vraie 23:51 a été enregistrée une fois.
    await written(service)
    closes = await sync_to_async(list)(
        Candle.objects.filter(timeframe="1m", open_time__gte=START).values_list("open_time", "high")
    )
    assert [open_time for open_time, _ in closes] == [START, START.replace(minute=51)]
    assert all(high != 2 for _, high in closes)
