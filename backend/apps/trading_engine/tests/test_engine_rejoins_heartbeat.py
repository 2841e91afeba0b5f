"""channels_redis oublie un membre de groupe au bout d'un jour : le moteur rejoint `heartbeat` avant."""

import asyncio

import pytest
from channels_redis.core import RedisChannelLayer
from django.conf import settings

from apps.core.channels import HEARTBEAT_GROUP, candles_event
from apps.trading_engine.engine import TradingEngine
from testing.candles import closed_candle

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_engine_still_hears_candles_after_its_first_membership_expired():
    layer = RedisChannelLayer(hosts=[settings.REDIS_URL], group_expiry=1)  # l'oubli d'un jour, en une seconde
    control = await layer.new_channel()
    await layer.group_add(HEARTBEAT_GROUP, control)  # rejoint une seule fois, comme avant
    engine = TradingEngine(rejoin_seconds=0.3)
    engine.layer = layer
    stop = asyncio.Event()
    listening = asyncio.create_task(engine.listen(stop))
    try:
        await asyncio.sleep(2.5)  # au-delà de l'expiration d'un membre inscrit une fois
        await layer.group_send(HEARTBEAT_GROUP, candles_event([closed_candle("BTC/USDT", "1m")]))
        for _ in range(100):
            if engine.candles_seen:
                break
            await asyncio.sleep(0.02)
        assert engine.candles_seen == 1
        with pytest.raises(TimeoutError):  # le témoin, lui, a été oublié
            await asyncio.wait_for(layer.receive(control), timeout=0.3)
    finally:
        stop.set()
        await asyncio.wait_for(listening, timeout=5)
        await layer.close_pools()
