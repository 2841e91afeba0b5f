"""Le WebSocket du navigateur relaie à tout utilisateur connecté le flux brut, les bougies et le statut."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from apps.heartbeat.tests.conftest import START, play
from aristobot.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def browser(user) -> WebsocketCommunicator:
    cookie = await sync_to_async(session_cookie)(user)
    headers = [
        (b"origin", b"http://localhost:5173"),
        (b"host", b"localhost:8000"),
        (b"cookie", f"sessionid={cookie}".encode()),
    ]
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def received(communicator: WebsocketCommunicator) -> list[dict]:
    messages = []
    while not await communicator.receive_nothing(timeout=0.3):
        messages.append(await communicator.receive_json_from())
    return messages


async def test_every_logged_in_page_gets_raw_events_candles_and_status(
    prod_mode, alice, bob, simulator, listener, start_heartbeat
):
    pages = [await browser(alice), await browser(bob)]
    await start_heartbeat()
    await play(simulator, listener, 1)
    for page in pages:
        messages = await received(page)
        kinds = {message["type"] for message in messages}
        assert kinds == {"status", "stream", "candles"}
        raw = [event for m in messages if m["type"] == "stream" for event in m["data"]["events"]]
        assert [(event["k"]["t"], event["k"]["x"]) for event in raw] == [
            (int(START.timestamp() * 1000), False),
            (int(START.timestamp() * 1000), True),
        ]
        candles = [candle for m in messages if m["type"] == "candles" for candle in m["data"]["candles"]]
        candle = next(c for c in candles if c["open_time"] == START.isoformat() and c["timeframe"] == "1m")
        assert candle["symbol"] == "BTC/USDT" and candle["exchange"] == "binance"
        assert candle["close"] == raw[-1]["k"]["c"]
        await page.disconnect()
