"""API de la page Webhooks : jeton (lecture, régénération, filtre IP), liste paginée, détail brut, isolement."""

import pytest

from apps.webhooks.models import Webhook

pytestmark = pytest.mark.django_db

SIGNAL = b'{"action": "buy", "symbol": "BTCUSDT", "quantity": 0.01}'


def test_token_is_created_once_and_gives_the_url_path(alice_api):
    first = alice_api.get("/api/webhooks/token/").json()
    again = alice_api.get("/api/webhooks/token/").json()

    assert first == again
    assert len(first["token"]) >= 40
    assert first["path"] == f"/api/webhooks/tradingview/{first['token']}/"
    assert first["tradingview_only"] is False
    assert first["tradingview_ips"] == ["52.89.214.238", "34.212.75.30", "54.218.53.128", "52.32.178.7"]


def test_regenerating_the_token_kills_the_old_url(alice_api, deliver):
    old = alice_api.get("/api/webhooks/token/").json()["token"]

    new = alice_api.post("/api/webhooks/token/regenerate/").json()["token"]

    assert new != old
    assert deliver(old, SIGNAL).status_code == 404
    assert deliver(new, SIGNAL).status_code == 200


def test_tradingview_only_is_a_setting(alice_api):
    saved = alice_api.put("/api/webhooks/token/", {"tradingview_only": True}, format="json")
    missing = alice_api.put("/api/webhooks/token/", {}, format="json")

    assert saved.status_code == 200 and saved.json()["tradingview_only"] is True
    assert alice_api.get("/api/webhooks/token/").json()["tradingview_only"] is True
    assert missing.status_code == 400 and missing.json() == {"tradingview_only": ["Ce champ est obligatoire."]}


def test_list_is_paged_newest_first_without_raw_bodies(alice_api, alice_token, deliver):
    for i in range(55):
        deliver(alice_token, {"action": "buy", "symbol": "BTCUSDT", "quantity": 1, "id": f"n{i}"})

    first = alice_api.get("/api/webhooks/").json()
    second = alice_api.get("/api/webhooks/?page=2").json()

    assert first["count"] == 55 and len(first["results"]) == 50 and second["next"] is None
    assert [row["signal_id"] for row in first["results"][:2]] == ["n54", "n53"]
    assert [row["signal_id"] for row in second["results"]] == ["n4", "n3", "n2", "n1", "n0"]
    assert "body" not in first["results"][0]
    assert first["results"][0]["action"] == "buy" and first["results"][0]["status"] == "received"


def test_detail_gives_the_raw_payload_even_when_invalid(alice_api, alice_token, deliver):
    deliver(alice_token, b'{"action": "buy"', content_type="text/plain", HTTP_USER_AGENT="TradingView")
    webhook = Webhook.objects.get()

    detail = alice_api.get(f"/api/webhooks/{webhook.pk}/").json()

    assert detail["body"] == '{"action": "buy"'
    assert (detail["status"], detail["content_type"], detail["signal"]) == ("invalid", "text/plain", None)
    assert detail["headers"]["User-Agent"] == "TradingView"
    assert detail["action"] is None and detail["error"].startswith("Message non JSON")


def test_nobody_sees_another_users_webhooks(alice_token, deliver, bob_api):
    deliver(alice_token, SIGNAL)
    webhook = Webhook.objects.get()

    assert bob_api.get("/api/webhooks/").json()["count"] == 0
    assert bob_api.get(f"/api/webhooks/{webhook.pk}/").status_code == 404
    assert bob_api.get("/api/webhooks/token/").json()["token"] != webhook.user.webhook_token.token


def test_dev_in_dev_mode_sees_everyones_webhooks(dev, dev_mode, api, alice_token, deliver):
    deliver(alice_token, SIGNAL)

    rows = api.get("/api/webhooks/").json()["results"]

    assert [row["owner"] for row in rows] == ["alice"]


def test_anonymous_reaches_only_the_tradingview_url(prod_mode, api, alice_token, deliver):
    assert api.get("/api/webhooks/").status_code == 403
    assert api.get("/api/webhooks/token/").status_code == 403
    assert deliver(alice_token, SIGNAL).status_code == 200
