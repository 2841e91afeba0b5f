"""Exchange paper : ordre au marché au dernier prix connu, frais taker 0,1 % (en actif de base à l'achat, comme
Binance spot), solde insuffisant refusé, prix trop ancien refusé."""

from decimal import Decimal

import pytest

from apps.brokers.models import PaperOrder
from apps.core.exceptions import ExchangeUnavailable, InsufficientFunds, OrderRejected

pytestmark = pytest.mark.django_db(transaction=True)


def test_starting_balance_is_10000_usdt(paper):
    balance = paper("fetch_balance")

    assert balance["USDT"] == {"free": Decimal("10000"), "used": Decimal("0"), "total": Decimal("10000")}


def test_market_buy_pays_price_times_quantity_and_its_fee_in_the_base_asset(paper, candle):
    candle("50000")

    order = paper("create_order", "BTC/USDT", "market", "buy", 0.1)
    balance = paper("fetch_balance")

    assert order["status"] == "closed" and order["average"] == Decimal("50000")
    assert order["cost"] == Decimal("5000") and order["fee"] == {"cost": Decimal("0.0001"), "currency": "BTC"}
    assert balance["total"]["USDT"] == Decimal("10000") - Decimal("5000")
    assert balance["total"]["BTC"] == Decimal("0.1") - Decimal("0.0001")


def test_market_sell_credits_quote_minus_fee(paper, candle):
    candle("50000")
    paper("create_order", "BTC/USDT", "market", "buy", "0.1")
    candle("60000", minutes_from_now=0)

    paper("create_order", "BTC/USDT", "market", "sell", "0.0999")
    balance = paper("fetch_balance")

    assert balance["total"]["BTC"] == 0
    assert balance["total"]["USDT"] == Decimal("10000") - Decimal("5000") + Decimal("5994") - Decimal("5.994")
    trades = paper("fetch_my_trades", "BTC/USDT")
    assert [(t["side"], t["price"], t["fee"]["cost"], t["fee"]["currency"]) for t in trades] == [
        ("buy", Decimal("50000"), Decimal("0.0001"), "BTC"),
        ("sell", Decimal("60000"), Decimal("5.994"), "USDT"),
    ]


def test_market_order_on_a_stale_price_is_refused(paper, candle):
    candle("50000", minutes_from_now=-5)

    with pytest.raises(OrderRejected) as refused:
        paper("create_order", "BTC/USDT", "market", "buy", "0.01")

    assert refused.value.message.startswith(
        "Ordre refusé par Paper : Prix paper trop ancien (BTC/USDT : dernière bougie il y a 4 min"
    )
    assert refused.value.message.endswith("UTC) : le heartbeat tourne-t-il ?")
    assert not PaperOrder.objects.exists()


def test_insufficient_balance_is_refused_and_nothing_moves(paper, candle):
    candle("50000")

    with pytest.raises(InsufficientFunds) as refused:
        paper("create_order", "BTC/USDT", "market", "buy", "0.2")

    assert refused.value.message == (
        "Fonds insuffisants sur Paper : solde USDT insuffisant : 10000 disponible, 10010 nécessaire"
    )
    assert paper("fetch_balance")["total"] == {"USDT": Decimal("10000")}
    assert not PaperOrder.objects.exists()


def test_quantity_is_rounded_to_the_market_step_and_minimums_apply(paper, candle):
    candle("50000")

    order = paper("create_order", "BTC/USDT", "market", "buy", "0.0123456")
    with pytest.raises(OrderRejected) as refused:
        paper("create_order", "BTC/USDT", "market", "buy", "0.00005")

    assert order["amount"] == Decimal("0.01234")
    assert refused.value.message == "Ordre refusé par Paper : montant 2.5 inférieur au minimum 5 USDT"


def test_no_known_price_is_a_clear_error(paper):
    with pytest.raises(ExchangeUnavailable) as refused:
        paper("create_order", "BTC/USDT", "market", "buy", "0.01")

    assert refused.value.message == "Paper indisponible : aucun prix connu pour BTC/USDT (aucune bougie enregistrée)"


def test_ticker_is_the_newest_stored_close(paper, candle):
    candle("49000", minutes_from_now=-2)
    candle("50500")

    assert paper("fetch_ticker", "BTC/USDT")["last"] == Decimal("50500")
