import asyncio

import pytest

from apps.core.channels import HEARTBEAT_GROUP, candle_event, publish
from apps.core.services.ccxt_manager import ccxt_manager
from apps.trading_engine.engine import TradingEngine

pytestmark = pytest.mark.django_db(transaction=True)


async def test_engine_preloads_every_broker_then_hears_closed_candles(paper_broker):
    engine = TradingEngine()
    stop = asyncio.Event()
    running = asyncio.create_task(engine.run(stop))
    for _ in range(100):
        if ccxt_manager.loaded_count() >= 1:
            break
        await asyncio.sleep(0.05)
    assert ccxt_manager.loaded_count() >= 1
    await asyncio.sleep(0.2)
    await publish(HEARTBEAT_GROUP, candle_event({"symbol": "BTC/USDT", "timeframe": "1m"}))
    for _ in range(100):
        if engine.candles_seen:
            break
        await asyncio.sleep(0.05)
    assert engine.candles_seen == 1
    stop.set()
    await asyncio.wait_for(running, timeout=10)
    assert ccxt_manager.loaded_count() == 0
