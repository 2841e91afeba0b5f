"""Le broker ou l'ordre d'un autre utilisateur n'existe pas pour le service d'ordres (NotFound → 404)."""

from decimal import Decimal

import pytest

from apps.core.exceptions import NotFound
from apps.orders.models import Trade
from apps.orders.services import cancel_order, refresh_order

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bobs_open_order(bob, make_broker, fake_binance, place):
    return place(bob, make_broker(bob), order_type="limit", quantity=Decimal("0.01"), price=Decimal("40000"))


def test_placing_on_another_users_broker_is_not_found_and_records_nothing(alice, bobs_open_order, fake_binance, place):
    with pytest.raises(NotFound):
        place(alice, bobs_open_order.broker_id, quantity=Decimal("0.01"))

    assert Trade.objects.filter(user=alice).count() == 0
    assert fake_binance.count("/api/v3/order") == 1  # celui de bob


@pytest.mark.parametrize("use_case", [cancel_order, refresh_order])
def test_another_users_order_is_not_found(alice, bobs_open_order, use_case):
    with pytest.raises(NotFound):
        use_case(user=alice, trade_id=bobs_open_order.pk)

    bobs_open_order.refresh_from_db()
    assert bobs_open_order.status == Trade.Status.OPEN


def test_unknown_broker_id_is_not_found(alice, place):
    with pytest.raises(NotFound):
        place(alice, "pas-un-nombre", quantity=Decimal("0.01"))
