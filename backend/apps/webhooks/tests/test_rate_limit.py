"""Un jeton divulgué ne noie pas le bot : au-delà de WEBHOOK_RATE_PER_MINUTE livraisons en une minute, 429 ; la
livraison est tout de même enregistrée (refusée), et les autres utilisateurs ne sont pas touchés."""

import pytest
from django.utils import timezone

from apps.webhooks.models import Webhook
from apps.webhooks.services import rate
from apps.webhooks.services.tokens import token_for

pytestmark = pytest.mark.django_db
SIGNAL = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01"}


def test_over_the_rate_a_delivery_is_stored_as_refused_and_answered_429(
    settings, alice, bob, alice_token, deliver, monkeypatch
):
    settings.WEBHOOK_RATE_PER_MINUTE = 3
    minute, count = timezone.now(), rate.reserve  # une seule minute d'horloge, même si le test en franchit une
    monkeypatch.setattr(rate, "reserve", lambda counts, now: count(counts, minute))

    answers = [deliver(alice_token, {**SIGNAL, "id": str(n)}).status_code for n in range(4)]
    bobs = deliver(token_for(bob).token, SIGNAL)

    assert answers == [200, 200, 200, 429] and bobs.status_code == 200
    refused = Webhook.objects.filter(user=alice).order_by("pk").last()
    assert refused.status == "invalid"
    assert refused.error == (
        "Trop de livraisons : 3 par minute au plus pour ce jeton (jeton divulgué ? régénérez-le dans la page Webhooks)."
    )
    assert Webhook.objects.filter(user=alice).count() == 4
