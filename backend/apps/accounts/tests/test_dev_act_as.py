"""« Se connecter comme… » : en mode dev, le poste local direct agit comme un autre utilisateur ; refusé partout
ailleurs (mode dev coupé, proxy, tunnel, autre poste)."""

import logging

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from conftest import PASSWORD
from django.test import Client

from apps.accounts.dev_mode import REFUSED
from apps.brokers.models import Broker
from apps.core.channels import client_event, publish, user_group
from apps.core.symbols import USD_ASSETS
from apps.strategies.models import Strategy
from aristobot.asgi import application

ACT_AS = "/api/auth/dev/act-as/"
USERS = "/api/auth/dev/users/"
RELAYED = [
    {"HTTP_X_FORWARDED_FOR": "203.0.113.7"},
    {"HTTP_X_CLIENT_ADDR": "203.0.113.7"},  # l'en-tête du proxy de confiance, quel que soit son nom
    {"REMOTE_ADDR": "192.168.1.20"},
]


def _act_as(client, user, **headers):
    return client.post(ACT_AS, {"user_id": user.pk}, content_type="application/json", **headers)


@pytest.mark.django_db
def test_the_local_browser_acts_as_the_chosen_user_then_returns_to_dev(dev, alice, bob, dev_mode, caplog):
    Broker.objects.create(user=alice, name="Celui d'alice", exchange="paper")
    Broker.objects.create(user=bob, name="Celui de bob", exchange="paper")
    Strategy.objects.create(user=bob, name="Stratégie de bob", code="x = 1", timeframe="15m")
    client = Client()
    names = [user["username"] for user in client.get(USERS).json()["users"]]
    assert names == ["alice", "bob", "dac", "dev"]  # dac : créé avec dev par init_aristobot

    with caplog.at_level(logging.WARNING, logger="aristobot"):
        body = _act_as(client, alice).json()
    assert body == {"user": body["user"], "dev_mode": True, "usd_assets": sorted(USD_ASSETS)}
    assert body["user"]["username"] == "alice"
    assert "agit désormais comme 'alice'" in caplog.text
    assert client.get("/api/auth/current/").json()["user"]["username"] == "alice"
    assert [broker["name"] for broker in client.get("/api/brokers/").json()] == ["Celui d'alice"]
    assert client.get("/api/strategies/").json() == []

    assert _act_as(client, bob).json()["user"]["username"] == "bob"
    assert [broker["name"] for broker in client.get("/api/brokers/").json()] == ["Celui de bob"]
    assert [strategy["name"] for strategy in client.get("/api/strategies/").json()] == ["Stratégie de bob"]

    assert client.delete(ACT_AS).json()["user"]["username"] == "dev"
    assert client.get("/api/auth/current/").json()["user"]["username"] == "dev"
    assert len(client.get("/api/brokers/").json()) == 2  # dev voit tout


@pytest.mark.django_db
def test_choosing_dev_or_logging_out_returns_to_dev(dev, alice, dev_mode):
    client = Client()
    _act_as(client, alice)
    assert _act_as(client, dev).json()["user"]["username"] == "dev"
    assert client.get("/api/auth/current/").json()["user"]["username"] == "dev"
    _act_as(client, alice)
    assert client.post("/api/auth/logout/").json()["user"]["username"] == "dev"
    assert client.get("/api/auth/current/").json()["user"]["username"] == "dev"


@pytest.mark.django_db
def test_a_password_session_is_closed_by_the_switch(dev, alice, bob, dev_mode):
    client = Client()
    client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, content_type="application/json")
    assert _act_as(client, bob).json()["user"]["username"] == "bob"
    assert client.get("/api/auth/current/").json()["user"]["username"] == "bob"


@pytest.mark.django_db
def test_unknown_or_inactive_user_is_refused_in_french(dev, alice, dev_mode):
    client = Client()
    response = client.post(ACT_AS, {"user_id": 99999}, content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Utilisateur introuvable ou désactivé (identifiant 99999)."}
    alice.is_active = False
    alice.save()
    assert _act_as(client, alice).status_code == 404
    missing = client.post(ACT_AS, {}, content_type="application/json")
    assert missing.json() == {"user_id": ["Choisissez un utilisateur."]}
    assert client.get("/api/auth/current/").json()["user"]["username"] == "dev"


@pytest.mark.django_db
def test_a_chosen_user_deactivated_later_gives_dev_back(dev, alice, dev_mode):
    client = Client()
    _act_as(client, alice)
    alice.is_active = False
    alice.save()
    assert client.get("/api/auth/current/").json()["user"]["username"] == "dev"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mode",
    [
        {"DEBUG": True, "DEBUG_ARISTOBOT": False, "DEV_MODE": False},
        {"DEBUG": False, "DEBUG_ARISTOBOT": False, "DEV_MODE": False},
    ],
)
def test_refused_outside_dev_mode_even_to_a_logged_in_user(dev, alice, bob, settings, mode):
    for name, value in mode.items():
        setattr(settings, name, value)
    client = Client()
    for method, url in (("get", USERS), ("post", ACT_AS), ("delete", ACT_AS)):
        response = getattr(client, method)(url, {"user_id": bob.pk}, content_type="application/json")
        assert (response.status_code, response.json()) == (403, {"detail": REFUSED}), (method, url)
    client.force_login(alice)
    response = _act_as(client, bob)
    assert (response.status_code, response.json()) == (403, {"detail": REFUSED})
    assert client.get(USERS).status_code == 403
    assert client.get("/api/auth/current/").json()["user"]["username"] == "alice"


@pytest.mark.django_db
@pytest.mark.parametrize("headers", RELAYED)
def test_refused_through_a_proxy_or_from_another_machine(dev, alice, bob, dev_mode, settings, headers):
    settings.TRUSTED_PROXY_HEADER = "X-Client-Addr"
    client = Client()
    assert _act_as(client, alice).json()["user"]["username"] == "alice"
    response = _act_as(client, bob, **headers)
    assert (response.status_code, response.json()) == (403, {"detail": REFUSED})
    assert client.get(USERS, **headers).status_code == 403
    assert client.delete(ACT_AS, **headers).status_code == 403
    # La même session, relayée, est anonyme : le choix ne vaut que pour le poste local direct.
    anonymous = {"user": None, "dev_mode": False, "usd_assets": sorted(USD_ASSETS)}
    assert client.get("/api/auth/current/", **headers).json() == anonymous
    assert client.get("/api/auth/current/").json()["user"]["username"] == "alice"


@pytest.mark.django_db(transaction=True)
async def test_the_websocket_of_the_session_joins_the_chosen_users_group(dev, alice, bob, dev_mode):
    client = Client()
    await database_sync_to_async(_act_as)(client, bob)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    headers = [(b"origin", b"http://localhost:5173"), (b"host", b"localhost:8000"), (b"cookie", cookie)]
    socket = WebsocketCommunicator(application, "/ws/", headers=headers)
    socket.scope["client"] = ["127.0.0.1", 50000]
    connected, _ = await socket.connect()
    assert connected
    assert (await socket.receive_json_from(timeout=3))["type"] == "status"
    # Publiés dans cet ordre : le message de bob arrivé le premier, celui d'alice n'a pas été remis.
    await publish(user_group(alice.id), client_event("order", {"to": "alice"}))
    await publish(user_group(bob.id), client_event("order", {"to": "bob"}))
    assert await socket.receive_json_from(timeout=3) == {"type": "order", "data": {"to": "bob"}}
    await socket.disconnect()
