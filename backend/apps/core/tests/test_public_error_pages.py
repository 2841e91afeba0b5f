"""Avec DEBUG=True, seul le poste local direct voit les pages techniques de Django ; les autres reçoivent
une courte erreur française, sans trace, réglages ni liste des routes."""

import pytest
from django.test import Client

from testing.asgi_client import asgi_post

pytestmark = pytest.mark.django_db

FORWARDED = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
BIG = b'{"action": "buy", "comment": "' + b"x" * 2_700_000 + b'"}'
TECHNICAL = (
    "Traceback",
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "Using the URLconf",
    "api/brokers/",
    "technical_500",
    "Request Method",
)


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def _assert_plain(response, status: int, detail: str):
    body = response.content.decode()
    assert response.status_code == status
    for marker in TECHNICAL:
        assert marker not in body
    assert detail in body
    assert len(body) < 300


@pytest.mark.parametrize(
    "headers",
    [FORWARDED, {"HTTP_FORWARDED": "for=203.0.113.7"}, {"HTTP_X_REAL_IP": "1.2.3.4"}, {"REMOTE_ADDR": "192.168.1.20"}],
)
def test_forwarded_big_webhook_post_gets_a_plain_french_413(debug, alice, headers):
    from apps.webhooks.services.tokens import token_for

    # L'URL TradingView est servie par son consumer (avant Django), à travers l'application ASGI complète.
    url = f"/api/webhooks/tradingview/{token_for(alice).token}/"
    response = asgi_post(url, BIG, "application/json", **headers)
    _assert_plain(response, 413, "Requête trop volumineuse")
    assert response.json() == {"detail": "Requête trop volumineuse : une alerte tient en 64 Ko au plus."}


def test_forwarded_unknown_api_url_gets_json_404(debug):
    response = Client().get("/api/nope/", **FORWARDED)
    _assert_plain(response, 404, "Page introuvable.")
    assert response.json() == {"detail": "Page introuvable."}


def test_forwarded_unknown_page_gets_french_html_404(debug):
    response = Client().get("/nulle-part/", HTTP_ACCEPT="text/html", **FORWARDED)
    _assert_plain(response, 404, "Page introuvable.")
    assert response["Content-Type"].startswith("text/html")


def test_forwarded_bad_host_gets_plain_400(debug):
    response = Client().get("/api/status/", HTTP_HOST="evil.example", **FORWARDED)
    _assert_plain(response, 400, "Requête invalide.")


def test_local_developer_still_sees_the_debug_pages(debug):
    response = Client().get("/nulle-part/")
    assert response.status_code == 404
    assert "Using the URLconf" in response.content.decode()


def test_without_debug_everyone_gets_the_french_pages(settings):
    settings.DEBUG = False
    response = Client().get("/nulle-part/")
    _assert_plain(response, 404, "Page introuvable.")
    assert Client().get("/api/nope/").json() == {"detail": "Page introuvable."}


def test_api_json_errors_are_kept(debug, api):
    response = api.get("/api/brokers/", **FORWARDED)
    assert response.status_code == 403
    assert "detail" in response.json()
