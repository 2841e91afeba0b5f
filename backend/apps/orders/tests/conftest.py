import asyncio
from functools import partial

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from apps.core.channels import user_group


@pytest.fixture
def binance_broker(alice, fake_binance, make_broker):
    """Broker binance d'alice : la vraie classe CCXT `binance`, qui parle au faux Binance local."""
    return make_broker(alice)


@pytest.fixture
def order(alice, place):
    """`order(broker, side, order_type=, **tailles)` : un ordre manuel d'alice (`place` de testing/fixtures.py)."""
    return partial(place, alice)


@pytest.fixture
def inbox(alice, bob):
    """Un canal abonné au groupe d'alice et un à celui de bob ; `inbox(qui)` : le message suivant ou None."""
    layer = get_channel_layer()
    channels = {user.username: async_to_sync(layer.new_channel)() for user in (alice, bob)}
    for user in (alice, bob):
        async_to_sync(layer.group_add)(user_group(user.pk), channels[user.username])

    async def receive(channel):
        try:
            return await asyncio.wait_for(layer.receive(channel), 0.5)
        except TimeoutError:
            return None

    yield lambda who: async_to_sync(receive)(channels[who])
    for user in (alice, bob):
        async_to_sync(layer.group_discard)(user_group(user.pk), channels[user.username])
