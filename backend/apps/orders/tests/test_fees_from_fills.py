"""Les frais viennent des exécutions de l'ordre, par devise ; fetch_my_trades est demandé pour cet ordre seul ; une
somme d'exécutions plus petite ne baisse jamais la quantité exécutée annoncée par l'exchange."""

from decimal import Decimal

import pytest

from apps.orders.models import Trade
from apps.orders.services import refresh_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_fill_paid_in_bnb_and_one_paid_in_btc_are_both_kept(binance_broker, fake_binance, order):
    fake_binance.fill_parts = [(Decimal("0.5"), Decimal("0.0002"), "BNB"), (Decimal("0.5"), Decimal("0.000005"), "BTC")]

    trade = order(binance_broker, quantity=Decimal("0.01"))

    assert trade.status == Trade.Status.FILLED
    assert trade.fee_amounts() == {"BNB": Decimal("0.0002"), "BTC": Decimal("0.000005")}
    assert Trade.objects.get(pk=trade.pk).fees == {"BNB": "0.0002", "BTC": "0.000005"}


def test_fills_are_asked_for_this_order_only_and_recomputed_when_the_filled_quantity_changes(
    alice, binance_broker, fake_binance, order
):
    other = order(binance_broker, quantity=Decimal("0.001"))
    fake_binance.fill_ratio = Decimal("0.5")
    trade = order(binance_broker, order_type="limit", quantity=Decimal("0.01"), price=Decimal("60000"))
    assert (trade.status, trade.filled_quantity, trade.fee) == (
        Trade.Status.PARTIALLY_FILLED,
        Decimal("0.005"),
        Decimal("0.25"),
    )

    fake_binance.fill_rest(int(trade.exchange_order_id), Decimal("50000"))  # le reste s'exécute sur l'exchange
    refreshed = refresh_order(user=alice, trade_id=trade.pk)

    asked = [params for method, path, params in fake_binance.requests if path == "/api/v3/myTrades"]
    assert asked and all(params.get("orderId") == trade.exchange_order_id for params in asked[-2:])
    assert str(other.exchange_order_id) not in {params.get("orderId") for params in asked[-2:]}
    assert refreshed.filled_quantity == Decimal("0.01")
    assert refreshed.fee == Decimal("0.5")  # 0,25 de chacune des deux exécutions


def test_a_smaller_sum_of_fills_never_lowers_the_reported_filled_quantity(alice, binance_broker, fake_binance, order):
    trade = order(binance_broker, quantity=Decimal("0.01"))
    fake_binance.trades.clear()  # l'exchange n'a pas encore publié toutes les exécutions
    Trade.objects.filter(pk=trade.pk).update(status=Trade.Status.OPEN, fees={})

    refreshed = refresh_order(user=alice, trade_id=trade.pk)

    assert refreshed.filled_quantity == Decimal("0.01") and refreshed.status == Trade.Status.FILLED
