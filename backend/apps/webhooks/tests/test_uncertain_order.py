"""L'exchange répond de façon ambiguë à l'ordre d'un webhook : le webhook n'échoue pas, un renvoi du même signal est
un doublon, et l'ordre est retrouvé par son identifiant client : un seul ordre chez l'exchange."""

from decimal import Decimal

import pytest

from apps.orders.models import Trade
from apps.webhooks.models import Webhook

pytestmark = pytest.mark.django_db(transaction=True)
SIGNAL = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01", "id": "alerte-42"}


@pytest.fixture
def binance_default(alice, fake_binance, make_broker):
    broker = make_broker(alice)
    alice.default_broker = broker
    alice.save(update_fields=["default_broker"])
    return broker


def test_an_ambiguous_answer_keeps_the_webhook_received_then_completes_it(
    alice_token, binance_default, fake_binance, deliver, drain
):
    fake_binance.lose_next_answer = (
        400,
        -1006,
        "An unexpected response was received from the message bus. Execution status unknown.",
    )
    fake_binance.lookups_fail = True  # l'exchange ne sait pas encore répondre sur cet ordre
    deliver(alice_token, SIGNAL)
    drain()
    webhook = Webhook.objects.get()
    assert webhook.status == "received" and webhook.trade.status == Trade.Status.PENDING
    assert webhook.error.startswith(
        f"Issue de l'ordre webhook-{webhook.pk} incertaine : vérification auprès de l'exchange en cours"
    )

    assert deliver(alice_token, SIGNAL).status_code == 200  # TradingView renvoie la même alerte
    resent = Webhook.objects.order_by("pk").last()
    assert resent.status == "duplicate"
    fake_binance.lookups_fail = False
    Webhook.objects.filter(pk=webhook.pk).update(claimed_until=None)  # le délai avant nouvel essai est passé
    drain()

    webhook.refresh_from_db()
    assert webhook.status == "processed" and webhook.trade.status == Trade.Status.FILLED
    assert webhook.trade.filled_quantity == Decimal("0.01")
    assert len(fake_binance.orders) == 1 and Trade.objects.count() == 1


def test_a_partially_filled_then_expired_order_is_processed(alice_token, binance_default, fake_binance, deliver, drain):
    fake_binance.fill_ratio, fake_binance.expire_partial = Decimal("0.5"), True
    deliver(alice_token, {**SIGNAL, "order_type": "limit", "price": "60000"})

    drain()

    webhook = Webhook.objects.get()
    assert webhook.status == "processed" and webhook.error == ""
    assert (webhook.trade.status, webhook.trade.filled_quantity) == (Trade.Status.CANCELLED, Decimal("0.005"))
