"""Sous les minimums du marché : refusé avant envoi, message français qui nomme la limite, aucune requête d'ordre."""

from decimal import Decimal

import pytest

from apps.orders.models import Trade

pytestmark = pytest.mark.django_db(transaction=True)


def order_requests(fake):
    return fake.count("/api/v3/order")


def test_below_minimum_cost_is_refused_and_the_exchange_sees_no_order(binance_broker, fake_binance, order):
    trade = order(binance_broker, quantity=Decimal("0.00005"))  # 2,5 USDT à 50 000

    trade.refresh_from_db()
    assert trade.status == Trade.Status.REJECTED
    assert trade.error == "Montant 2,5 USDT inférieur au minimum de 5 USDT pour BTC/USDT."
    assert order_requests(fake_binance) == 0


def test_below_the_quantity_step_is_refused_with_the_minimum_quantity(binance_broker, fake_binance, order):
    trade = order(binance_broker, quantity=Decimal("0.000004"))

    assert trade.status == Trade.Status.REJECTED
    assert trade.error == "Quantité 0,000004 BTC inférieure au minimum de 0,00001 BTC pour BTC/USDT."
    assert order_requests(fake_binance) == 0


def test_an_amount_too_small_for_a_limit_order_uses_the_limit_price(binance_broker, fake_binance, order):
    trade = order(binance_broker, order_type="limit", amount=Decimal("4.5"), price=Decimal("40000"))

    assert trade.status == Trade.Status.REJECTED  # 4,5 / 40 000 = 0,0001125, tronqué à 0,00011 → 4,4 USDT
    assert trade.error == "Montant 4,4 USDT inférieur au minimum de 5 USDT pour BTC/USDT."
    assert trade.amount == Decimal("4.5") and trade.quantity is None and order_requests(fake_binance) == 0


def test_above_the_maximum_quantity_is_refused(binance_broker, fake_binance, order):
    trade = order(binance_broker, side="sell", quantity=Decimal("9500"))

    assert trade.error == "Quantité 9\u202f500 BTC supérieure au maximum de 9\u202f000 BTC pour BTC/USDT."
    assert order_requests(fake_binance) == 0


def test_paper_minimums_apply_the_same_way(paper_broker, candle, order):
    candle("50000")

    trade = order(paper_broker, amount=Decimal("3"))

    assert trade.status == Trade.Status.REJECTED
    assert trade.error == "Montant 3 USDT inférieur au minimum de 5 USDT pour BTC/USDT."
