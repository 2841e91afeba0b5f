"""Un même identifiant client rejoué ne place jamais un second ordre : le Trade existant est retourné."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from apps.core.exceptions import Conflict
from apps.orders.models import Trade

pytestmark = pytest.mark.django_db(transaction=True)


def test_same_client_id_twice_places_one_exchange_order(binance_broker, fake_binance, order):
    first = order(binance_broker, quantity=Decimal("0.01"), client_order_id="retry-42")
    second = order(binance_broker, quantity=Decimal("0.01"), client_order_id="retry-42")

    assert second.pk == first.pk and second.status == Trade.Status.FILLED
    assert fake_binance.count("/api/v3/order") == 1
    assert Trade.objects.count() == 1


def test_concurrent_retries_place_one_exchange_order(binance_broker, fake_binance, order):
    fake_binance.delay = 0.2  # le premier envoi est encore en vol quand les autres arrivent

    def attempt(_):
        try:
            return order(binance_broker, quantity=Decimal("0.01"), client_order_id="same-click").pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(attempt, range(4)))

    assert len(ids) == 1
    assert fake_binance.count("/api/v3/order") == 1


def test_a_rejected_attempt_keeps_its_client_id_so_a_retry_is_not_sent(binance_broker, fake_binance, order):
    first = order(binance_broker, quantity=Decimal("0.00001"), client_order_id="tiny")
    again = order(binance_broker, quantity=Decimal("0.00001"), client_order_id="tiny")

    assert again.pk == first.pk and again.status == Trade.Status.REJECTED
    assert fake_binance.count("/api/v3/order") == 0


def test_reusing_a_client_id_for_another_request_is_a_conflict(binance_broker, fake_binance, order):
    first = order(binance_broker, quantity=Decimal("0.001"), client_order_id="mine")

    with pytest.raises(Conflict) as conflict:
        order(binance_broker, quantity=Decimal("0.002"), client_order_id="mine")

    assert str(conflict.value) == (
        f"L'identifiant d'ordre « manual-mine » a déjà servi pour un autre ordre "
        f"(buy BTC/USDT, n° {first.pk}) : choisissez-en un autre."
    )
    assert Trade.objects.count() == 1 and fake_binance.count("/api/v3/order") == 1


def test_the_same_client_id_is_free_for_another_user(bob, binance_broker, fake_binance, make_broker, order, place):
    order(binance_broker, quantity=Decimal("0.001"), client_order_id="mine")
    bobs = place(bob, make_broker(bob), quantity=Decimal("0.001"), client_order_id="mine")

    assert bobs.status == Trade.Status.FILLED and bobs.user == bob
    assert fake_binance.count("/api/v3/order") == 2
