"""Positions sur l'exchange paper : OCO tenu par le paper, déclenché par la bougie 1m suivante qui le franchit."""

from decimal import Decimal

import pytest

from apps.brokers.models import PaperBalance, PaperOrder
from apps.orders.models import Position, Trade
from apps.orders.reconciler import reconcile

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def protected(paper_broker, candle, order):
    candle("50000")
    order(paper_broker, quantity=Decimal("0.1"), stop_loss=Decimal("45000"), take_profit=Decimal("55000"))
    return Position.objects.get()


def test_the_paper_holds_one_oco_for_the_quantity_net_of_the_fee_in_base(protected):
    legs = PaperOrder.objects.filter(status=PaperOrder.Status.OPEN).order_by("trigger_kind")
    assert protected.protection == Position.Protection.OCO
    assert protected.quantity == Decimal("0.0999")  # 0,1 BTC moins 0,1 % de frais payés en BTC
    assert [(o.trigger_kind, o.trigger_price, o.amount) for o in legs] == [
        ("stop_loss", Decimal("45000"), Decimal("0.0999")),
        ("take_profit", Decimal("55000"), Decimal("0.0999")),
    ]
    assert PaperBalance.objects.get(currency="BTC").free == 0  # réservé une fois pour les deux jambes


def test_stop_and_take_profit_crossed_in_one_candle_takes_the_stop(protected, candle):
    candle("50000", low="44000", high="56000", minutes_from_now=1)

    reconcile()

    protected.refresh_from_db()
    assert (protected.status, protected.exit_reason, protected.exit_price) == ("closed", "stop_loss", Decimal("45000"))
    assert PaperOrder.objects.get(trigger_kind="take_profit").status == PaperOrder.Status.CANCELED
    assert set(Trade.objects.exclude(role="").values_list("role", "status")) == {
        ("stop_loss", Trade.Status.FILLED),
        ("take_profit", Trade.Status.CANCELLED),
    }


def test_a_gap_below_the_stop_is_filled_at_the_open(protected, candle):
    candle("43000", open="43500", low="42000", high="43600", minutes_from_now=1)

    reconcile()

    protected.refresh_from_db()
    assert (protected.exit_reason, protected.exit_price) == ("stop_loss", Decimal("43500"))
    proceeds = Decimal("0.0999") * Decimal("43500") * Decimal("0.999")
    assert protected.realized_pnl == proceeds - Decimal("5000")


def test_the_take_profit_alone_closes_with_its_reason(protected, candle):
    candle("55500", open="50500", low="50000", high="56000", minutes_from_now=1)

    reconcile()

    protected.refresh_from_db()
    assert (protected.status, protected.exit_reason, protected.exit_price) == (
        "closed",
        "take_profit",
        Decimal("55000"),
    )
    assert protected.realized_pnl > 0


def test_a_candle_that_crosses_nothing_leaves_the_position_open(protected, candle):
    candle("50500", low="46000", high="54000", minutes_from_now=1)

    reconcile()

    protected.refresh_from_db()
    assert protected.status == Position.Status.OPEN and protected.protection == Position.Protection.OCO


def test_two_buys_at_the_same_moment_make_one_position(paper_broker, candle, order):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    candle("50000")

    def buy(_):
        try:
            return order(paper_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        trades = list(pool.map(buy, range(4)))

    position = Position.objects.get()
    assert {t.status for t in trades} == {Trade.Status.FILLED}
    assert set(Trade.objects.filter(role="").values_list("position_id", flat=True)) == {position.pk}
    assert position.quantity == Decimal("0.03996")
    live = PaperOrder.objects.filter(status=PaperOrder.Status.OPEN)
    assert [(o.trigger_kind, o.amount) for o in live] == [("stop_loss", Decimal("0.03996"))]
