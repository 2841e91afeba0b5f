"""Ordre limite : il reste ouvert, apparaît dans les ordres ouverts, s'annule, ou s'exécute quand le prix le
franchit."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders.models import Trade
from apps.orders.services import cancel_order, refresh_open_orders, refresh_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_paper_limit_buy_rests_is_listed_open_and_cancel_releases_the_funds(alice, paper_broker, candle, order):
    candle("50000")

    trade = order(paper_broker, order_type="limit", quantity=Decimal("0.01"), price=Decimal("45000"))
    listed = refresh_open_orders(user=alice, broker_id=paper_broker.pk)
    cancelled = cancel_order(user=alice, trade_id=trade.pk)

    assert trade.status == Trade.Status.OPEN and trade.filled_quantity == 0
    assert [t.pk for t in listed] == [trade.pk]
    assert cancelled.status == Trade.Status.CANCELLED
    assert refresh_open_orders(user=alice, broker_id=paper_broker.pk) == []
    balance = ccxt_manager.sync.balances(paper_broker)["USDT"]
    assert (balance.free, balance.used) == (Decimal("10000"), 0)


def test_paper_limit_fills_when_a_later_candle_crosses_it(alice, paper_broker, candle, order):
    candle("50000")
    trade = order(paper_broker, order_type="limit", quantity=Decimal("0.01"), price=Decimal("45000"))
    candle("46000", low="44000", minutes_from_now=1)

    assert refresh_open_orders(user=alice, broker_id=paper_broker.pk) == []
    trade.refresh_from_db()
    assert trade.status == Trade.Status.FILLED
    assert (trade.filled_quantity, trade.average_price, trade.fee, trade.fee_currency) == (
        Decimal("0.01"),
        Decimal("45000"),
        Decimal("0.00001"),
        "BTC",
    )


def test_cancelling_a_closed_order_is_refused(alice, paper_broker, candle, order):
    candle("50000")
    trade = order(paper_broker, quantity=Decimal("0.01"))

    with pytest.raises(ValidationError) as refused:
        cancel_order(user=alice, trade_id=trade.pk)

    assert refused.value.messages == ["Cet ordre n'est pas ouvert (statut : exécuté) : rien à annuler."]


def test_binance_limit_filled_later_gets_its_fee_from_the_fills(alice, binance_broker, fake_binance, order):
    trade = order(binance_broker, order_type="limit", quantity=Decimal("0.01"), price=Decimal("45000"))
    fake_binance.cross("BTCUSDT", Decimal("44000"))

    refreshed = refresh_order(user=alice, trade_id=trade.pk)

    assert refreshed.status == Trade.Status.FILLED
    assert (refreshed.filled_quantity, refreshed.average_price) == (Decimal("0.01"), Decimal("45000"))
    assert (refreshed.fee, refreshed.fee_currency) == (Decimal("0.45"), "USDT")


def test_binance_cancel_of_a_partially_filled_order_keeps_the_executed_part(alice, binance_broker, fake_binance, order):
    fake_binance.fill_ratio = Decimal("0.5")
    trade = order(binance_broker, quantity=Decimal("0.01"))

    cancelled = cancel_order(user=alice, trade_id=trade.pk)

    assert cancelled.status == Trade.Status.CANCELLED
    assert cancelled.filled_quantity == Decimal("0.005")
    assert [p["orderId"] for m, path, p in fake_binance.requests if (m, path) == ("DELETE", "/api/v3/order")] == ["1"]


def test_cancel_of_an_order_gone_on_the_exchange_refreshes_it(alice, binance_broker, fake_binance, order):
    trade = order(binance_broker, order_type="limit", quantity=Decimal("0.01"), price=Decimal("45000"))
    fake_binance.orders[1]["status"] = "CANCELED"  # annulé depuis l'interface de Binance

    result = cancel_order(user=alice, trade_id=trade.pk)

    assert result.status == Trade.Status.CANCELLED
