"""Ordre au marché sur l'exchange paper : par quantité, par montant, par pourcentage ; soldes et Trade exécuté."""

from decimal import Decimal

import pytest

from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders.models import Trade

pytestmark = pytest.mark.django_db(transaction=True)


def balance(broker):
    return {currency: b.total for currency, b in ccxt_manager.sync.balances(broker).items()}


def test_market_buy_by_quantity_is_filled_at_the_last_close_with_its_fee(paper_broker, candle, order):
    candle("50000")

    trade = order(paper_broker, quantity=Decimal("0.01"))

    trade.refresh_from_db()
    assert trade.status == Trade.Status.FILLED and trade.error == ""
    assert (trade.quantity, trade.filled_quantity, trade.average_price) == (
        Decimal("0.01"),
        Decimal("0.01"),
        Decimal("50000"),
    )
    assert (trade.fee, trade.fee_currency) == (Decimal("0.00001"), "BTC")
    assert trade.exchange_order_id and trade.client_order_id.startswith("manual-")
    assert balance(paper_broker) == {
        "USDT": Decimal("10000") - Decimal("500"),
        "BTC": Decimal("0.01") - Decimal("0.00001"),
    }


def test_market_buy_by_amount_computes_the_quantity_from_the_last_price(paper_broker, candle, order):
    candle("40000")

    trade = order(paper_broker, amount=Decimal("100"))

    assert trade.status == Trade.Status.FILLED
    assert (trade.amount, trade.quantity, trade.filled_quantity) == (
        Decimal("100"),
        Decimal("0.0025"),
        Decimal("0.0025"),
    )
    assert trade.average_price == Decimal("40000") and trade.fee == Decimal("0.0000025")
    assert balance(paper_broker) == {"USDT": Decimal("9900"), "BTC": Decimal("0.0025") - Decimal("0.0000025")}


def test_quantity_is_truncated_to_the_market_step_before_sending(paper_broker, candle, order):
    candle("50000")

    trade = order(paper_broker, quantity=Decimal("0.0123456"))

    assert trade.quantity == trade.filled_quantity == Decimal("0.01234")


def test_buy_all_by_percent_keeps_room_for_the_fee_then_sell_all(paper_broker, candle, order):
    candle("50000")

    bought = order(paper_broker, percent=Decimal("100"))
    sold = order(paper_broker, side="sell", percent=Decimal("100"))

    assert bought.status == sold.status == Trade.Status.FILLED
    assert bought.quantity == Decimal("0.19980")  # 10 000 / (50 000 × 1,001), tronqué au pas 0,00001
    assert sold.quantity == Decimal("0.19960")  # tout le BTC détenu, frais d'achat en BTC déduits, au pas près
    assert balance(paper_broker)["BTC"] == bought.quantity * Decimal("0.999") - sold.quantity


def test_selling_more_than_held_is_a_failed_trade_with_the_french_reason(paper_broker, candle, order):
    candle("50000")

    trade = order(paper_broker, side="sell", quantity=Decimal("0.5"))

    trade.refresh_from_db()
    assert trade.status == Trade.Status.FAILED
    assert trade.error == "Fonds insuffisants sur Paper : solde BTC insuffisant : 0 disponible, 0.5 nécessaire"
    assert trade.exchange_order_id == "" and trade.filled_quantity == 0
    assert balance(paper_broker) == {"USDT": Decimal("10000")}
