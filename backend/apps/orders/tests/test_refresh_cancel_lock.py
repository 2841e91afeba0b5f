"""Actualiser et annuler le même ordre en même temps : l'un attend l'autre, aucun n'écrase l'autre."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from apps.orders.models import Trade
from apps.orders.services import cancel_order, refresh_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_refresh_running_during_a_cancel_does_not_bring_the_order_back_to_open(
    alice, binance_broker, fake_binance, order
):
    trade = order(binance_broker, order_type="limit", quantity=Decimal("0.01"), price=Decimal("40000"))
    assert trade.status == Trade.Status.OPEN
    fake_binance.delay = 0.3  # chaque réponse de l'exchange prend 300 ms
    results, errors = {}, []

    def run(name, action):
        try:
            results[name] = action(user=alice, trade_id=trade.pk).status
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    refresher = threading.Thread(target=run, args=("refresh", refresh_order))
    canceller = threading.Thread(target=run, args=("cancel", cancel_order))
    refresher.start()
    canceller.start()
    refresher.join(10)
    canceller.join(10)

    assert not errors
    assert Trade.objects.get(pk=trade.pk).status == Trade.Status.CANCELLED
    assert fake_binance.orders[int(trade.exchange_order_id)]["status"] == "CANCELED"
