"""Le faux Binance parle comme le vrai : REST /api/v3/klines paginé, SUBSCRIBE / UNSUBSCRIBE sur le flux."""

import json
from decimal import Decimal

import aiohttp
import pytest
from websockets.asyncio.client import connect

from apps.heartbeat.bars import MINUTE_MS
from apps.heartbeat.rest import BackfillError, RestKlines
from apps.heartbeat.tests.conftest import START, ms


async def get(url: str) -> tuple[int, object]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


async def test_klines_follow_binance_format_and_limits(simulator):
    start = ms(START) - 10 * MINUTE_MS
    status, rows = await get(
        f"{simulator.rest_url}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime={start}"
        f"&endTime={start + 4 * MINUTE_MS}"
    )
    assert status == 200 and [row[0] for row in rows] == [start + i * MINUTE_MS for i in range(5)]
    assert all(len(row) == 12 and row[6] == row[0] + MINUTE_MS - 1 and isinstance(row[1], str) for row in rows)
    status, rows = await get(f"{simulator.rest_url}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=5000")
    assert status == 200 and len(rows) == 1000
    assert (await get(f"{simulator.rest_url}/api/v3/klines?symbol=BTCUSDT&interval=5m"))[0] == 400
    assert (await get(f"{simulator.rest_url}/api/v3/ping")) == (200, {})
    assert (await get(f"{simulator.rest_url}/api/v3/nothing"))[0] == 404


async def test_rest_door_pages_through_more_than_a_thousand_minutes(simulator):
    async with aiohttp.ClientSession() as session:
        rest = RestKlines(session, simulator.rest_url, retry_delay=0)
        bars = await rest.fetch("ETH/USDT", ms(START) - 1500 * MINUTE_MS, ms(START))
        assert [bar.open_time for bar in bars] == [ms(START) - (1500 - i) * MINUTE_MS for i in range(1500)]
        assert {bar.symbol for bar in bars} == {"ETH/USDT"}
        simulator.rest_down = True
        with pytest.raises(BackfillError, match="HTTP 503"):
            await rest.fetch("ETH/USDT", ms(START) - 5 * MINUTE_MS, ms(START))


async def test_stream_subscriptions_change_on_a_live_connection(simulator):
    async with connect(f"{simulator.ws_url}/stream?streams=btcusdt@kline_1m") as ws:
        await ws.send(json.dumps({"method": "SUBSCRIBE", "params": ["ethusdt@kline_1m"], "id": 1}))
        assert json.loads(await ws.recv()) == {"result": None, "id": 1}
        await ws.send(json.dumps({"method": "UNSUBSCRIBE", "params": ["btcusdt@kline_1m"], "id": 2}))
        assert json.loads(await ws.recv()) == {"result": None, "id": 2}
        await ws.send(json.dumps({"method": "LIST_SUBSCRIPTIONS", "id": 3}))
        assert json.loads(await ws.recv()) == {"result": ["ethusdt@kline_1m"], "id": 3}
        await simulator.step()
        message = json.loads(await ws.recv())
        assert message["stream"] == "ethusdt@kline_1m" and message["data"]["k"]["t"] == ms(START)
        assert message["data"]["k"]["x"] is False and message["data"]["E"] == ms(START) + 30_000
        await simulator.step()
        closing = json.loads(await ws.recv())["data"]
        assert closing["k"]["x"] is True and closing["k"]["t"] == ms(START)
        assert Decimal(closing["k"]["l"]) <= Decimal(closing["k"]["o"]) <= Decimal(closing["k"]["h"])
