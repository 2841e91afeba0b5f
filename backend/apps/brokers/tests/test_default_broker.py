"""Le broker par défaut (préférence Mon compte) : un des brokers de l'utilisateur, ou aucun."""

import pytest

from apps.brokers.models import Broker

pytestmark = pytest.mark.django_db


def test_preferences_expose_and_change_the_default_broker(alice, alice_api):
    first = Broker.objects.create(user=alice, name="A", exchange="paper")
    second = Broker.objects.create(user=alice, name="B", exchange="paper")

    before = alice_api.get("/api/accounts/preferences/").data["default_broker"]
    changed = alice_api.put("/api/accounts/preferences/", {"default_broker": second.pk}, format="json")

    assert before is None
    assert changed.status_code == 200 and changed.data["default_broker"] == second.pk
    assert [b["is_default"] for b in alice_api.get("/api/brokers/").data] == [False, True]
    assert first.pk != second.pk


def test_default_broker_can_be_cleared(alice, alice_api):
    alice.default_broker = Broker.objects.create(user=alice, name="A", exchange="paper")
    alice.save()

    response = alice_api.put("/api/accounts/preferences/", {"default_broker": None}, format="json")

    assert response.status_code == 200 and response.data["default_broker"] is None


def test_unknown_default_broker_is_refused_in_french(alice_api):
    response = alice_api.put("/api/accounts/preferences/", {"default_broker": 999999}, format="json")

    assert response.status_code == 400
    assert response.data["default_broker"] == ["Broker inconnu : choisissez un de vos brokers."]


def test_other_preferences_still_work(alice, alice_api):
    response = alice_api.put("/api/accounts/preferences/", {"theme": "light", "testnet_mode": True}, format="json")

    assert response.status_code == 200
    alice.refresh_from_db()
    assert (alice.theme, alice.testnet_mode, alice.default_broker) == ("light", True, None)


def test_deleting_the_default_broker_clears_the_preference(alice):
    alice.default_broker = Broker.objects.create(user=alice, name="A", exchange="paper")
    alice.save()

    alice.default_broker.delete()

    alice.refresh_from_db()
    assert alice.default_broker is None


def test_deleting_the_default_broker_makes_the_oldest_remaining_one_the_default(alice, alice_api):
    oldest = Broker.objects.create(user=alice, name="A", exchange="paper")
    Broker.objects.create(user=alice, name="B", exchange="paper")
    alice.default_broker = Broker.objects.create(user=alice, name="C", exchange="paper")
    alice.save()

    response = alice_api.delete(f"/api/brokers/{alice.default_broker_id}/")

    assert response.status_code == 204
    alice.refresh_from_db()
    assert alice.default_broker == oldest
    assert [b["is_default"] for b in alice_api.get("/api/brokers/").data] == [True, False]


def test_deleting_the_last_broker_leaves_no_default(alice, alice_api):
    alice.default_broker = Broker.objects.create(user=alice, name="A", exchange="paper")
    alice.save()

    assert alice_api.delete(f"/api/brokers/{alice.default_broker_id}/").status_code == 204

    alice.refresh_from_db()
    assert alice.default_broker is None
