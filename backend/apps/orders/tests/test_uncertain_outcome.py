"""Réponse perdue (délai dépassé) : la tentative reste « pending » ; actualiser la retrouve par son identifiant
client."""

from decimal import Decimal

import pytest

from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders.models import Trade
from apps.orders.services import refresh_order
from testing.attempts import pending_attempt
from testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_binance(settings, alice, fake_binance, make_broker):
    """Broker binance dont l'instance est prête, puis un faux Binance plus lent que le délai de CCXT."""
    settings.CCXT_TIMEOUT_MS = 300
    broker = make_broker(alice)
    ccxt_manager.run(ccxt_manager.markets(broker))
    fake_binance.delay = 0.6
    return broker


def test_a_timed_out_order_stays_pending_then_is_found_by_its_client_id(alice, slow_binance, fake_binance, order):
    trade = order(slow_binance, order_type="limit", quantity=Decimal("0.01"), price=Decimal("60000"))

    assert trade.status == Trade.Status.PENDING
    assert trade.error.startswith("Issue inconnue, l'ordre a peut-être été passé (Binance ne répond pas")
    fake_binance.delay = 0
    wait_until(lambda: fake_binance.orders, 5)  # le faux Binance finit l'ordre abandonné

    found = refresh_order(user=alice, trade_id=trade.pk)

    assert (found.status, found.error, found.exchange_order_id) == (Trade.Status.FILLED, "", "1")
    assert found.filled_quantity == Decimal("0.01") and found.fee == Decimal("0.5")
    assert fake_binance.count("/api/v3/order") == 2  # l'envoi, puis la lecture par identifiant client


def test_a_pending_attempt_unknown_to_the_exchange_becomes_failed_after_the_grace_delay(
    alice, binance_broker, fake_binance
):
    trade = pending_attempt(alice, binance_broker, "lost-1", minutes_old=5)

    result = refresh_order(user=alice, trade_id=trade.pk)

    assert (result.status, result.error) == (Trade.Status.FAILED, "L'ordre n'a pas atteint Binance principal.")


def test_a_fresh_pending_attempt_unknown_to_the_exchange_stays_pending(alice, binance_broker, fake_binance):
    trade = pending_attempt(alice, binance_broker, "in-flight")

    assert refresh_order(user=alice, trade_id=trade.pk).status == Trade.Status.PENDING


def test_paper_finds_an_order_by_its_client_id(alice, paper_broker, candle, order):
    candle("50000")
    placed = order(paper_broker, quantity=Decimal("0.01"))
    Trade.objects.filter(pk=placed.pk).update(status=Trade.Status.PENDING, exchange_order_id="")

    found = refresh_order(user=alice, trade_id=placed.pk)

    assert (found.status, found.exchange_order_id) == (Trade.Status.FILLED, placed.exchange_order_id)
