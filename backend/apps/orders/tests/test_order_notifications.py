"""Chaque ordre passé ou refusé est poussé dans le groupe privé de son utilisateur (message `order`), à lui seul."""

import asyncio
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from apps.core.channels import user_group

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_a_filled_order_is_pushed_to_its_owner_only(paper_broker, candle, order, inbox):
    candle("50000")

    trade = order(paper_broker, quantity=Decimal("0.01"))
    message = inbox("alice")

    assert (message["type"], message["message"]["type"]) == ("client.message", "order")
    data = message["message"]["data"]
    assert (data["id"], data["status"], data["filled_quantity"], data["average_price"], data["broker_name"]) == (
        trade.pk,
        "filled",
        "0.01",
        "50000",
        "Démo",
    )
    assert inbox("bob") is None


def test_a_refused_order_is_pushed_with_its_reason(paper_broker, order, inbox):
    trade = order(paper_broker, quantity=Decimal("-1"))

    data = inbox("alice")["message"]["data"]

    assert (data["id"], data["status"], data["error"]) == (
        trade.pk,
        "rejected",
        "La quantité doit être un nombre positif.",
    )
