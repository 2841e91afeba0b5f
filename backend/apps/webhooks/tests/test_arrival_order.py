"""Les webhooks d'un utilisateur passent dans l'ordre d'arrivée, même arrivés dans la même seconde : le worker ne
réserve que le plus ancien webhook « reçu » d'un utilisateur."""

import pytest

from apps.webhooks.models import Webhook
from apps.webhooks.services.processing import claim_next, release_claims

pytestmark = pytest.mark.django_db(transaction=True)
SIGNAL = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01"}


def test_a_users_next_webhook_waits_for_the_older_one_still_claimed(alice, bob, alice_token, deliver):
    from apps.webhooks.services.tokens import token_for

    deliver(alice_token, {**SIGNAL, "id": "1"})
    deliver(alice_token, {**SIGNAL, "id": "2"})
    deliver(token_for(bob).token, {**SIGNAL, "id": "b"})
    # Les deux d'alice dans la même seconde, même si l'horloge en a franchi une entre eux
    same_second = Webhook.objects.filter(user=alice).earliest("pk").received_at.replace(microsecond=0)
    Webhook.objects.filter(user=alice).update(received_at=same_second)
    first, second, bobs = Webhook.objects.order_by("pk")
    assert first.received_at.replace(microsecond=0) == second.received_at.replace(microsecond=0)

    assert claim_next() == (first.pk, alice.pk)
    # Le worker qui tient le premier a disparu : le second d'alice n'est pas pris avant lui, bob n'attend pas.
    assert claim_next() == (bobs.pk, bob.pk)
    assert claim_next() is None
    assert release_claims() == 2
    assert claim_next() == (first.pk, alice.pk)
