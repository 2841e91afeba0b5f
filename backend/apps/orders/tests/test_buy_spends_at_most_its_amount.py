"""Un achat au marché demandé en montant (activation, webhook, ticket) ne dépense jamais plus que ce montant, même
quand le prix monte entre le prix de référence et l'exécution : il part au montant (Binance : quoteOrderQty)."""

from decimal import Decimal

import pytest

from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders.models import Trade
from apps.orders.services import refresh_trade

pytestmark = pytest.mark.django_db(transaction=True)


def sent_orders(fake):
    return [params for method, path, params in fake.requests if (method, path) == ("POST", "/api/v3/order")]


def test_binance_buy_by_amount_is_sent_as_quote_order_qty_and_spends_at_most_the_amount(
    binance_broker, fake_binance, order
):
    fake_binance.balances["USDT"] = [Decimal("1000"), Decimal("0")]
    fake_binance.next_market_price = Decimal("52500")  # +5 % entre le prix lu (50 000) et l'exécution

    trade = order(binance_broker, amount=Decimal("100"))

    [sent] = sent_orders(fake_binance)
    assert (sent["type"], sent["side"], sent["quoteOrderQty"]) == ("MARKET", "BUY", "100")
    assert "quantity" not in sent
    assert trade.status == Trade.Status.FILLED
    # 100 / 52 500 = 0,0019047… tronqué au pas 0,00001 : ce que 100 USDT achètent au prix d'exécution
    assert (trade.filled_quantity, trade.average_price) == (Decimal("0.0019"), Decimal("52500"))
    spent = Decimal("1000") - fake_binance.balances["USDT"][0]
    assert spent == Decimal("99.75") and spent <= Decimal("100")
    assert (trade.fee, trade.fee_currency) == (Decimal("0.0000019"), "BTC")  # comme Binance : sur la base reçue


def test_binance_buy_by_percent_is_sent_by_amount_too(binance_broker, fake_binance, order):
    fake_binance.balances["USDT"] = [Decimal("1000"), Decimal("0")]
    fake_binance.next_market_price = Decimal("55000")

    trade = order(binance_broker, percent=Decimal("100"))

    [sent] = sent_orders(fake_binance)
    assert "quantity" not in sent and Decimal(sent["quoteOrderQty"]) <= Decimal("1000")
    assert trade.status == Trade.Status.FILLED
    assert fake_binance.balances["USDT"][0] >= 0


def test_binance_sell_and_buy_by_quantity_keep_their_quantity(binance_broker, fake_binance, order):
    order(binance_broker, quantity=Decimal("0.001"))
    order(binance_broker, side="sell", quantity=Decimal("0.001"))

    assert [("quoteOrderQty" in sent, sent["quantity"]) for sent in sent_orders(fake_binance)] == [
        (False, "0.001"),
        (False, "0.001"),
    ]


def test_paper_strategy_buy_filled_at_a_higher_next_open_spends_at_most_its_amount(alice, paper_broker, candle, place):
    candle("40000")  # prix de référence : la clôture décidée
    trade = place(
        alice,
        paper_broker,
        amount=Decimal("100"),
        source="strategy",
        client_order_id="strategy-1-1700000000000",  # exécuté à l'ouverture de la bougie suivante
        book="activation:1",
        reference_price=Decimal("40000"),
    )
    assert trade.status == Trade.Status.OPEN and trade.quantity == Decimal("0.0025")  # estimée à 40 000

    candle("44000", open="44000", minutes_from_now=0)  # l'ouverture suivante : +10 %
    trade = refresh_trade(trade.pk)

    assert trade.status == Trade.Status.FILLED
    assert (trade.filled_quantity, trade.average_price) == (Decimal("0.00227"), Decimal("44000"))
    balances = ccxt_manager.sync.balances(paper_broker)
    spent = Decimal("10000") - balances["USDT"].total
    assert spent == Decimal("99.88") and spent <= Decimal("100")


def test_paper_buy_by_amount_filled_now_spends_at_most_its_amount(paper_broker, candle, order):
    candle("30000")

    trade = order(paper_broker, amount=Decimal("100"))

    assert trade.status == Trade.Status.FILLED
    assert trade.filled_quantity == Decimal("0.00333")
    assert Decimal("10000") - ccxt_manager.sync.balances(paper_broker)["USDT"].total == Decimal("99.9")
