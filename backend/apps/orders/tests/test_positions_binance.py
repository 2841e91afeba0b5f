"""Positions protégées sur la vraie classe CCXT `binance` contre le faux Binance local."""

from decimal import Decimal

import pytest

from apps.orders.models import Position, Trade
from apps.orders.reconciler import reconcile

pytestmark = pytest.mark.django_db(transaction=True)

BASE_FEE = [(Decimal(1), Decimal("0.00001"), "BTC")]


def posted(fake, path):
    return [params for method, seen, params in fake.requests if (method, seen) == ("POST", path)]


def test_buy_with_sl_and_tp_places_one_oco_for_the_held_quantity(binance_broker, fake_binance, order):
    fake_binance.fill_parts = BASE_FEE

    trade = order(
        binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000.123"), take_profit=Decimal("56000.456")
    )

    position = Position.objects.get()
    assert trade.position_id == position.pk and position.status == Position.Status.OPEN
    assert position.quantity == Decimal("0.00999") and position.entry_price == Decimal("50000")
    assert position.protection == Position.Protection.OCO
    [oco] = posted(fake_binance, "/api/v3/orderList/oco")
    assert (oco["side"], oco["quantity"]) == ("SELL", "0.00999")
    assert (oco["abovePrice"], oco["belowStopPrice"], oco["belowPrice"]) == ("56000.46", "45000.12", "44775.12")
    assert fake_binance.count("/api/v3/orderList/oco") == 1


def test_the_stop_filled_on_the_exchange_closes_the_position_at_the_next_step(binance_broker, fake_binance, order):
    fake_binance.fill_parts = BASE_FEE
    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    fake_binance.fill_parts = None
    [stop] = fake_binance.orders_of_type("STOP_LOSS_LIMIT")
    [limit] = fake_binance.orders_of_type("LIMIT_MAKER")

    fake_binance.fill_leg(stop["orderId"], Decimal("44900"))
    reconcile()

    position = Position.objects.get()
    assert position.status == Position.Status.CLOSED and position.exit_reason == "stop_loss"
    assert position.exit_price == Decimal("44900")
    exit_fee = Decimal("0.00999") * Decimal("44900") * Decimal("0.001")
    assert position.realized_pnl == Decimal("0.00999") * Decimal("44900") - exit_fee - Decimal("500")
    assert fake_binance.orders[limit["orderId"]]["status"] == "EXPIRED"
    legs = {t.role: t.status for t in Trade.objects.exclude(role="")}
    assert legs == {"stop_loss": Trade.Status.FILLED, "take_profit": Trade.Status.CANCELLED}
