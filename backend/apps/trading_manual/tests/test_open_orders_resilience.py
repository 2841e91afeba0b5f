"""La liste des ordres ouverts répond même quand un ordre ne peut pas être relu : cette ligne porte son erreur."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_unreadable_order_does_not_hide_the_others(alice, alice_api, fake_binance, make_broker, place):
    broker = make_broker(alice)
    first, second = (
        place(alice, broker, order_type="limit", quantity=Decimal("0.01"), price=Decimal(price))
        for price in ("40000", "41000")
    )
    fake_binance.unreadable_orders.add(int(second.exchange_order_id))

    response = alice_api.get(f"/api/trading/brokers/{broker.pk}/open-orders/")

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()}
    assert set(rows) == {first.pk, second.pk}
    assert rows[first.pk]["refresh_error"] == ""
    assert rows[second.pk]["refresh_error"].startswith("Réponse incertaine de Binance")
