"""Exchange paper : ordres limit, stop-loss et take-profit au repos, exécutés quand un prix ultérieur les franchit."""

from decimal import Decimal

import ccxt
import pytest
from asgiref.sync import async_to_sync

from apps.brokers.models import Broker
from apps.brokers.tests.conftest import paper_exchange
from apps.core.exceptions import OrderNotFound

pytestmark = pytest.mark.django_db(transaction=True)


def test_limit_buy_rests_then_fills_when_a_later_price_crosses(paper, candle):
    candle("50000")
    order = paper("create_order", "BTC/USDT", "limit", "buy", "0.1", "48000")

    resting = paper("fetch_balance")
    candle("49000", low="48500", minutes_from_now=1)
    still_open = paper("fetch_order", order["id"])
    candle("47900", low="47500", minutes_from_now=2)
    filled = paper("fetch_order", order["id"])
    balance = paper("fetch_balance")

    assert order["status"] == "open"
    assert resting["USDT"]["used"] == Decimal("4804.8")  # 0,1 × 48 000 + 0,1 % de frais réservés
    assert still_open["status"] == "open"
    assert filled["status"] == "closed" and filled["average"] == Decimal("48000")
    assert balance["total"]["USDT"] == Decimal("10000") - Decimal("4800")
    assert balance["USDT"]["used"] == 0 and balance["total"]["BTC"] == Decimal("0.1") - Decimal("0.0001")


def test_marketable_limit_fills_immediately_at_market(paper, candle):
    candle("50000")

    order = paper("create_order", "BTC/USDT", "limit", "buy", "0.1", "51000")

    assert order["status"] == "closed" and order["average"] == Decimal("50000")


def test_cancel_releases_the_reserve(paper, candle):
    candle("50000")
    order = paper("create_order", "BTC/USDT", "limit", "buy", "0.1", "48000")

    canceled = paper("cancel_order", order["id"], "BTC/USDT")
    candle("47000", minutes_from_now=1)

    assert canceled["status"] == "canceled"
    assert paper("fetch_order", order["id"])["status"] == "canceled"
    assert paper("fetch_balance")["USDT"] == {"free": Decimal("10000"), "used": Decimal("0"), "total": Decimal("10000")}
    assert paper("fetch_open_orders") == []
    with pytest.raises(OrderNotFound):
        paper("cancel_order", order["id"], "BTC/USDT")


def test_stop_loss_and_take_profit_sell_when_crossed(paper, candle):
    candle("50000")
    paper("create_order", "BTC/USDT", "market", "buy", "0.1502")  # 0,15 nets de frais en BTC
    stop = paper("create_order", "BTC/USDT", "market", "sell", "0.1", None, {"stopLossPrice": "45000"})
    take = paper("create_order", "BTC/USDT", "market", "sell", "0.05", None, {"takeProfitPrice": "55000"})

    assert {o["id"] for o in paper("fetch_open_orders", "BTC/USDT")} == {stop["id"], take["id"]}
    candle("56000", open="50000", high="56000", minutes_from_now=1)
    assert paper("fetch_order", take["id"])["average"] == Decimal("55000")
    assert paper("fetch_order", stop["id"])["status"] == "open"
    candle("44000", open="46000", low="44000", minutes_from_now=2)
    assert paper("fetch_order", stop["id"])["average"] == Decimal("45000")
    assert paper("fetch_balance")["total"]["BTC"] == Decimal("0.1500498") - Decimal("0.15")


def test_a_gap_through_the_levels_fills_at_the_open_like_the_backtest(paper, candle):
    candle("50000")
    paper("create_order", "BTC/USDT", "market", "buy", "0.16")
    stop = paper("create_order", "BTC/USDT", "market", "sell", "0.1", None, {"stopLossPrice": "45000"})
    take = paper("create_order", "BTC/USDT", "limit", "sell", "0.05", "55000", {"takeProfitPrice": "55000"})

    candle("57000", open="56500", high="57000", low="56000", minutes_from_now=1)
    assert paper("fetch_order", take["id"])["average"] == Decimal("56500")
    candle("43000", open="44000", low="42000", high="44500", minutes_from_now=2)
    assert paper("fetch_order", stop["id"])["average"] == Decimal("44000")


def test_orders_of_another_paper_broker_are_not_visible(paper, candle, bob):
    candle("50000")
    order = paper("create_order", "BTC/USDT", "limit", "buy", "0.1", "48000")
    bobs = paper_exchange(Broker.objects.create(user=bob, name="Bob démo", exchange="paper"))
    async_to_sync(bobs.load_markets)()

    with pytest.raises(ccxt.OrderNotFound):
        async_to_sync(bobs.fetch_order)(order["id"])
    assert async_to_sync(bobs.fetch_open_orders)() == []
