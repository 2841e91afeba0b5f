"""Chaque ordre passé ou refusé est poussé dans le groupe privé de son utilisateur (message `order`), à lui seul."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_filled_order_is_pushed_to_its_owner_only(paper_broker, candle, order, inbox):
    candle("50000")

    trade = order(paper_broker, quantity=Decimal("0.01"))
    message = inbox("alice")

    assert (message["type"], message["message"]["type"]) == ("client.message", "order")
    data = message["message"]["data"]
    assert (data["id"], data["status"], data["filled_quantity"], data["average_price"], data["broker_name"]) == (
        trade.pk,
        "filled",
        "0.01",
        "50000",
        "Démo",
    )
    assert inbox("bob") is None


def test_a_refused_order_is_pushed_with_its_reason(paper_broker, order, inbox):
    trade = order(paper_broker, quantity=Decimal("-1"))

    data = inbox("alice")["message"]["data"]

    assert (data["id"], data["status"], data["error"]) == (
        trade.pk,
        "rejected",
        "La quantité doit être un nombre positif.",
    )
