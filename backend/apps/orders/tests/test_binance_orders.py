"""La vraie classe CCXT `binance` contre le faux Binance local : quantité arrondie, exécution partielle, refus."""

from decimal import Decimal

import pytest

from apps.orders.models import Trade

pytestmark = pytest.mark.django_db(transaction=True)


def sent_orders(fake):
    return [params for method, path, params in fake.requests if (method, path) == ("POST", "/api/v3/order")]


def test_the_request_carries_the_precision_rounded_quantity_and_our_client_id(binance_broker, fake_binance, order):
    trade = order(binance_broker, quantity=Decimal("0.0123456789"))

    [sent] = sent_orders(fake_binance)
    assert (sent["symbol"], sent["side"], sent["type"], sent["quantity"]) == ("BTCUSDT", "BUY", "MARKET", "0.01234")
    assert sent["newClientOrderId"] == trade.client_order_id
    assert trade.status == Trade.Status.FILLED
    assert (trade.filled_quantity, trade.average_price) == (Decimal("0.01234"), Decimal("50000"))
    assert (trade.fee, trade.fee_currency) == (Decimal("0.617"), "USDT")
    assert trade.exchange_order_id == "1"


def test_limit_price_is_rounded_to_the_tick(binance_broker, fake_binance, order):
    trade = order(binance_broker, order_type="limit", quantity=Decimal("0.01"), price=Decimal("45000.1234"))

    [sent] = sent_orders(fake_binance)
    assert (sent["type"], sent["price"], sent["quantity"]) == ("LIMIT", "45000.12", "0.01")
    assert trade.status == Trade.Status.OPEN and trade.price == Decimal("45000.12")


def test_a_partial_fill_is_recorded_as_partially_filled_with_the_executed_quantity(binance_broker, fake_binance, order):
    fake_binance.fill_ratio = Decimal("0.4")

    trade = order(binance_broker, quantity=Decimal("0.01"))

    trade.refresh_from_db()
    assert trade.status == Trade.Status.PARTIALLY_FILLED
    assert (trade.quantity, trade.filled_quantity) == (Decimal("0.01"), Decimal("0.004"))
    assert (trade.average_price, trade.fee) == (Decimal("50000"), Decimal("0.2"))


def test_an_exchange_rejection_is_recorded_with_its_text(binance_broker, fake_binance, order):
    fake_binance.reject_next_order = (-1013, "Filter failure: LOT_SIZE")

    trade = order(binance_broker, quantity=Decimal("0.01"))

    trade.refresh_from_db()
    assert trade.status == Trade.Status.FAILED
    assert trade.error == (
        "Ordre refusé par Binance : order amount should be evenly divisible by lot size (Filter failure: LOT_SIZE)"
    )
    assert trade.quantity == Decimal("0.01") and trade.exchange_order_id == ""


def test_insufficient_balance_on_binance_is_a_failed_trade(binance_broker, fake_binance, order):
    trade = order(binance_broker, side="sell", quantity=Decimal("2"))

    assert trade.status == Trade.Status.FAILED
    assert trade.error == "Fonds insuffisants sur Binance : Account has insufficient balance for requested action."


def test_a_symbol_given_as_the_exchange_id_is_understood(binance_broker, fake_binance, order):
    trade = order(binance_broker, symbol="btcusdt", quantity=Decimal("0.01"))

    assert trade.symbol == "BTC/USDT" and trade.status == Trade.Status.FILLED
