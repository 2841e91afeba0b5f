"""Nombres et caractères refusés à la réception (400, enregistrés « invalide »), en français, par leur borne (la
raison dite est celle de la borne : jamais un nombre démesuré calculé)."""

import pytest

from apps.webhooks.models import Webhook

pytestmark = pytest.mark.django_db

HUGE_INTEGER = "9" * 5000


@pytest.mark.parametrize(
    "body, reason",
    [
        (
            '{"action": "buy", "symbol": "BTCUSDT", "quantity": "1e999999999"}',
            "« quantity » doit être un nombre positif (nombre hors limites (10^±30)).",
        ),
        (
            '{"action": "buy", "symbol": "BTCUSDT", "quantity": 1e999999999}',
            "Nombre refusé dans le message : nombre hors limites (10^±30).",
        ),
        (
            '{"action": "buy", "symbol": "BTCUSDT", "quantity": ' + HUGE_INTEGER + "}",
            "Message refusé : entier hors limites : " + "9" * 40 + "….",
        ),
        (
            '{"action": "buy", "symbol": "BTCUSDT", "quantity": "' + HUGE_INTEGER + '"}',
            "« quantity » doit être un nombre positif (nombre trop long (40 caractères au plus)).",
        ),
        (
            '{"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01", "comment": "a\\u0000b"}',
            "Message refusé : caractère NUL refusé.",
        ),
        (
            '{"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01", "comment": "\\ud800"}',
            "Message refusé : caractère Unicode invalide (demi-paire isolée).",
        ),
    ],
    ids=["exponent-text", "exponent-number", "5000-digits", "5000-digits-text", "nul", "lone-surrogate"],
)
def test_refused_by_its_bound_and_stored_as_invalid(alice_token, deliver, body, reason):
    response = deliver(alice_token, body)

    assert response.status_code == 400
    assert response.json()["detail"] == reason
    webhook = Webhook.objects.get()
    assert (webhook.status, webhook.error) == ("invalid", reason)
