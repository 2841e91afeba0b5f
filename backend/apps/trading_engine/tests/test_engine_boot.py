import asyncio

import pytest

from apps.core.channels import HEARTBEAT_GROUP, ClosedCandle, candles_event, publish
from apps.core.services.ccxt_manager import ccxt_manager
from apps.trading_engine.engine import TradingEngine
from testing.candles import closed_candle
from testing.channel_groups import group_members, wait_for_members

pytestmark = pytest.mark.django_db(transaction=True)


class RecordingEngine(TradingEngine):
    def __init__(self):
        super().__init__()
        self.heard: list[tuple[str, str]] = []

    async def on_candle(self, candle: ClosedCandle) -> None:
        await super().on_candle(candle)
        self.heard.append((candle.symbol, candle.timeframe))


async def test_engine_preloads_every_broker_then_hears_each_candle_of_a_wave_in_order(paper_broker):
    engine = RecordingEngine()
    before = await group_members(HEARTBEAT_GROUP, engine.layer)
    stop = asyncio.Event()
    running = asyncio.create_task(engine.run(stop))
    for _ in range(100):
        if ccxt_manager.loaded_count() >= 1:
            break
        await asyncio.sleep(0.05)
    assert ccxt_manager.loaded_count() >= 1
    await wait_for_members(HEARTBEAT_GROUP, layer=engine.layer, known=before)
    wave = [("BTC/USDT", "1m"), ("ETH/USDT", "1m"), ("BTC/USDT", "3m"), ("ETH/USDT", "3m")]
    await publish(HEARTBEAT_GROUP, candles_event([closed_candle(s, tf) for s, tf in wave]))
    for _ in range(100):
        if len(engine.heard) == len(wave):
            break
        await asyncio.sleep(0.05)
    assert engine.heard == wave
    assert engine.candles_seen == 4
    stop.set()
    await asyncio.wait_for(running, timeout=10)
    assert ccxt_manager.loaded_count() == 0
