"""Un broker de bob est invisible et intouchable pour alice ; dev le voit en mode dev, sans ses secrets."""

import pytest

from apps.brokers.models import Broker

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs(bob):
    return Broker.objects.create(
        user=bob, name="Bob Binance", exchange="binance", api_key="BOB-KEY-0001", api_secret="BOB-SECRET-0002"
    )


def test_alice_does_not_see_bobs_broker_in_her_list(alice_api, bobs):
    assert alice_api.get("/api/brokers/").data == []


@pytest.mark.parametrize(
    "method, path, payload",
    [
        ("get", "/api/brokers/{id}/", None),
        ("put", "/api/brokers/{id}/", {"name": "volé"}),
        ("patch", "/api/brokers/{id}/", {"api_key": "alice-key"}),
        ("delete", "/api/brokers/{id}/", None),
        ("post", "/api/brokers/{id}/test/", None),
        ("post", "/api/brokers/{id}/reload-markets/", None),
        ("post", "/api/brokers/test/", {"id": "{id}", "exchange": "binance"}),
    ],
)
def test_alice_gets_404_on_bobs_broker(alice_api, bobs, method, path, payload):
    if payload and payload.get("id") == "{id}":
        payload = {**payload, "id": bobs.pk}
    response = getattr(alice_api, method)(path.format(id=bobs.pk), payload, format="json")

    assert response.status_code == 404
    assert "BOB-KEY" not in str(getattr(response, "data", ""))
    bobs.refresh_from_db()
    assert (bobs.name, bobs.api_key) == ("Bob Binance", "BOB-KEY-0001")


def test_alice_cannot_make_bobs_broker_her_default(alice, alice_api, bobs):
    response = alice_api.put("/api/accounts/preferences/", {"default_broker": bobs.pk}, format="json")

    assert response.status_code == 400
    assert response.data["default_broker"] == ["Broker inconnu : choisissez un de vos brokers."]
    alice.refresh_from_db()
    assert alice.default_broker is None


def test_dev_in_dev_mode_sees_every_broker_but_no_one_elses_secrets(dev, dev_mode, api, bobs):
    listed = api.get("/api/brokers/").data
    detail = api.get(f"/api/brokers/{bobs.pk}/").data

    assert [b["owner"] for b in listed] == ["bob"]
    assert listed[0]["api_key_masked"] == "BOB-••••0001"
    assert (detail["api_key_masked"], detail["api_secret_masked"]) == ("BOB-••••0001", "••••0002")
    assert api.post(f"/api/brokers/{bobs.pk}/reveal/", {"password": "x"}, format="json").status_code == 404


def test_dev_outside_dev_mode_sees_only_his_own(dev, prod_mode, bobs):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(dev)
    assert client.get("/api/brokers/").data == []
