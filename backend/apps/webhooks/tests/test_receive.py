"""Réception : jeton, enregistrement brut avant tout, JSON invalide, text/plain, filtrage des IP TradingView."""

import hashlib

import pytest

from apps.webhooks.models import Webhook
from apps.webhooks.services.tokens import set_tradingview_only, token_for

pytestmark = pytest.mark.django_db

SIGNAL = b'{"action": "buy", "symbol": "BTCUSDT", "quantity": 0.01}'


def test_wrong_token_is_404_and_nothing_is_stored(alice, bob, deliver):
    token_for(alice), token_for(bob)

    response = deliver("pas-le-bon-jeton", SIGNAL)

    assert response.status_code == 404
    assert not Webhook.objects.exists()


def test_a_valid_signal_is_stored_raw_and_answered_received(alice, alice_token, deliver):
    response = deliver(alice_token, SIGNAL, HTTP_USER_AGENT="Go-http-client/1.1")

    webhook = Webhook.objects.get()
    assert response.status_code == 200
    assert response.json() == {"id": webhook.pk, "status": "received"}
    assert (webhook.user, bytes(webhook.body), webhook.status) == (alice, SIGNAL, "received")
    assert webhook.body_sha256 == hashlib.sha256(SIGNAL).hexdigest()
    assert webhook.content_type == "application/json" and webhook.source_ip == "127.0.0.1"
    assert webhook.headers["User-Agent"] == "Go-http-client/1.1"
    assert webhook.signal == {
        "action": "buy",
        "symbol": "BTCUSDT",
        "side": "buy",
        "order_type": "market",
        "broker": None,
        "quantity": "0.01",
        "amount": None,
        "percent": None,
        "price": None,
        "stop_loss": None,
        "take_profit": None,
        "id": "",
        "comment": "",
    }


def test_text_plain_json_body_is_accepted(alice_token, deliver):
    response = deliver(alice_token, SIGNAL, content_type="text/plain")

    assert response.status_code == 200
    webhook = Webhook.objects.get()
    assert (webhook.status, webhook.content_type, webhook.signal["symbol"]) == ("received", "text/plain", "BTCUSDT")


def test_malformed_json_is_stored_as_invalid_and_answered_400(alice_token, deliver):
    body = b'{"action": "buy", "symbol": BTCUSDT}'

    response = deliver(alice_token, body, content_type="text/plain")

    webhook = Webhook.objects.get()
    assert response.status_code == 400
    assert response.json()["detail"] == "Message non JSON : erreur de syntaxe ligne 1, colonne 29 (Expecting value)."
    assert (bytes(webhook.body), webhook.status, webhook.signal) == (body, "invalid", None)
    assert webhook.error == "Message non JSON : erreur de syntaxe ligne 1, colonne 29 (Expecting value)."


def test_a_json_that_is_not_a_valid_signal_is_stored_as_invalid(alice_token, deliver):
    response = deliver(alice_token, {"action": "buy", "symbol": "BTCUSDT"})

    assert response.status_code == 400
    assert (
        Webhook.objects.get().error
        == "Taille manquante : quantity (en base), amount (en cotation) ou percent (du solde)."
    )


def test_tradingview_only_refuses_other_senders_but_keeps_the_delivery(alice, alice_token, deliver):
    set_tradingview_only(user=alice, enabled=True)

    refused = deliver(alice_token, SIGNAL)
    accepted = deliver(alice_token, SIGNAL, REMOTE_ADDR="52.89.214.238")

    assert refused.status_code == 403
    assert refused.json()["detail"] == "Adresse IP refusée : 127.0.0.1 (seules les IP de TradingView sont acceptées)."
    assert accepted.status_code == 200
    statuses = list(Webhook.objects.order_by("pk").values_list("source_ip", "status"))
    assert statuses == [("127.0.0.1", "invalid"), ("52.89.214.238", "received")]


def test_a_proxy_header_is_ignored_unless_configured(alice, alice_token, deliver, settings):
    set_tradingview_only(user=alice, enabled=True)
    settings.TRUSTED_PROXY_HEADER = ""

    forged = deliver(alice_token, SIGNAL, HTTP_X_FORWARDED_FOR="52.89.214.238")

    assert forged.status_code == 403


def test_the_configured_proxy_header_gives_the_sender_its_last_address(alice, alice_token, deliver, settings):
    set_tradingview_only(user=alice, enabled=True)
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"

    accepted = deliver(alice_token, SIGNAL, HTTP_X_FORWARDED_FOR="10.0.0.9, 34.212.75.30")
    refused = deliver(alice_token, SIGNAL, HTTP_X_FORWARDED_FOR="34.212.75.30, 10.0.0.9")

    assert (accepted.status_code, refused.status_code) == (200, 403)
    assert Webhook.objects.order_by("pk").first().source_ip == "34.212.75.30"
