"""Le mode dev ne vaut que pour le poste local direct : par un proxy ou un tunnel, le visiteur est anonyme."""

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from apps.core.symbols import USD_ASSETS
from aristobot.asgi import application
from testing.asgi_client import asgi_post

FORWARDING = [
    {"HTTP_X_FORWARDED_FOR": "203.0.113.7"},
    {"HTTP_FORWARDED": "for=203.0.113.7;proto=https"},
    {"HTTP_X_REAL_IP": "203.0.113.7"},
    {"HTTP_VIA": "1.1 tunnel"},
    {"HTTP_FORWARDED_FOR": "203.0.113.7"},
    {"HTTP_CLIENT_IP": "203.0.113.7"},
    {"HTTP_X_CLIENT_IP": "203.0.113.7"},
    {"HTTP_X_CLUSTER_CLIENT_IP": "203.0.113.7"},
    {"HTTP_TRUE_CLIENT_IP": "203.0.113.7"},
    {"HTTP_CF_CONNECTING_IP": "203.0.113.7"},
    {"HTTP_FASTLY_CLIENT_IP": "203.0.113.7"},
    {"REMOTE_ADDR": "192.168.1.20"},
    {"REMOTE_ADDR": "::ffff:10.0.0.2"},
]
PRIVATE = [
    "/api/accounts/preferences/",
    "/api/brokers/",
    "/api/webhooks/",
    "/api/webhooks/token/",
    "/api/status/",
    "/api/trading/orders/",
    "/api/heartbeat/config/",
    "/api/docs/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("headers", FORWARDING)
def test_forwarded_visitor_is_anonymous_in_dev_mode(dev, dev_mode, headers):
    client = Client()
    anonymous = {"user": None, "dev_mode": False, "usd_assets": sorted(USD_ASSETS)}
    assert client.get("/api/auth/current/", **headers).json() == anonymous
    for url in PRIVATE:
        assert client.get(url, **headers).status_code in (401, 403), url
    assert client.post("/api/auth/logout/", **headers).json() == anonymous
    assert client.get("/admin/", **headers).status_code == 302  # page de connexion de l'admin


@pytest.mark.django_db
def test_webhook_endpoint_still_answers_through_a_proxy(dev, dev_mode, alice):
    from apps.webhooks.services.tokens import token_for

    url = f"/api/webhooks/tradingview/{token_for(alice).token}/"
    response = asgi_post(url, b"{}", "application/json", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 400  # reçu et jugé invalide, pas refusé faute de session


@pytest.mark.django_db
def test_local_direct_visitor_is_still_dev(dev, dev_mode):
    body = Client().get("/api/auth/current/").json()
    assert body["dev_mode"] is True and body["user"]["username"] == "dev"


async def _ws_connected(client, headers) -> bool:
    communicator = WebsocketCommunicator(
        application, "/ws/", headers=[(b"origin", b"http://localhost:5173"), (b"host", b"localhost:8000"), *headers]
    )
    communicator.scope["client"] = [client, 50000]
    connected, code = await communicator.connect()
    await communicator.disconnect()
    return connected


@pytest.mark.django_db(transaction=True)
async def test_websocket_dev_mode_only_for_the_local_direct_browser(dev, dev_mode):
    assert await _ws_connected("127.0.0.1", [])
    assert not await _ws_connected("127.0.0.1", [(b"x-forwarded-for", b"203.0.113.7")])
    assert not await _ws_connected("127.0.0.1", [(b"X-Real-IP", b"203.0.113.7")])
    for relay in (b"via", b"forwarded-for", b"client-ip", b"x-cluster-client-ip", b"fastly-client-ip"):
        assert not await _ws_connected("127.0.0.1", [(relay, b"203.0.113.7")]), relay
    assert not await _ws_connected("203.0.113.7", [])
