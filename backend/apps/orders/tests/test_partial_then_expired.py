"""Un ordre partiellement exécuté puis expiré ou annulé compte comme exécuté pour sa quantité exécutée."""

from decimal import Decimal

import pytest

from apps.orders.models import Trade
from apps.orders.services import cancel_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_partially_filled_then_expired_keeps_its_executed_quantity(binance_broker, fake_binance, order):
    fake_binance.fill_ratio, fake_binance.expire_partial = Decimal("0.4"), True

    trade = order(binance_broker, order_type="limit", quantity=Decimal("0.01"), price=Decimal("60000"))

    assert (trade.status, trade.filled_quantity, trade.executed) == (Trade.Status.CANCELLED, Decimal("0.004"), True)
    assert trade.fee == Decimal("0.2")


def test_partially_filled_then_cancelled_keeps_its_executed_quantity(alice, binance_broker, fake_binance, order):
    fake_binance.fill_ratio = Decimal("0.4")
    trade = order(binance_broker, order_type="limit", quantity=Decimal("0.01"), price=Decimal("60000"))

    cancelled = cancel_order(user=alice, trade_id=trade.pk)

    assert (cancelled.status, cancelled.filled_quantity, cancelled.executed) == (
        Trade.Status.CANCELLED,
        Decimal("0.004"),
        True,
    )
