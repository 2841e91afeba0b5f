"""Une réponse ambiguë à l'envoi (Binance -1006 « statut inconnu », -1000, -1001) n'est pas un échec : le Trade reste
« pending », puis l'exchange dit ce qu'il en a fait (par identifiant client) ; jamais un second ordre."""

from decimal import Decimal

import pytest

from apps.orders.models import Trade
from apps.orders.services import refresh_order

pytestmark = pytest.mark.django_db(transaction=True)

AMBIGUOUS = [
    (400, -1006, "An unexpected response was received from the message bus. Execution status unknown."),
    (400, -1000, "An unknown error occurred while processing the request."),
    (400, -1001, "Internal error; unable to process your request. Please try again."),
    (503, -1008, "Service Unavailable."),
]


@pytest.mark.parametrize("answer", AMBIGUOUS, ids=lambda a: str(a[1]))
def test_an_ambiguous_answer_leaves_the_trade_pending_then_it_is_found(
    alice, binance_broker, fake_binance, order, answer
):
    fake_binance.lose_next_answer = answer

    trade = order(binance_broker, quantity=Decimal("0.01"))

    assert trade.status == Trade.Status.PENDING
    assert trade.error.startswith("Issue inconnue, l'ordre a peut-être été passé")
    found = refresh_order(user=alice, trade_id=trade.pk)
    assert (found.status, found.filled_quantity, found.exchange_order_id) == (Trade.Status.FILLED, Decimal("0.01"), "1")
    assert len(fake_binance.orders) == 1 and Trade.objects.count() == 1


def test_the_same_request_again_while_pending_sends_nothing(alice, binance_broker, fake_binance, order):
    fake_binance.lose_next_answer = AMBIGUOUS[0]

    first = order(binance_broker, quantity=Decimal("0.01"), client_order_id="retry-me")
    again = order(binance_broker, quantity=Decimal("0.01"), client_order_id="retry-me")

    assert again.pk == first.pk and again.status == Trade.Status.PENDING
    assert fake_binance.count("/api/v3/order") == 1
