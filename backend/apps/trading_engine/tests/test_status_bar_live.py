"""La barre de statut montre « stratégie live » seulement quand une stratégie de l'utilisateur connecté tourne."""

import pytest

from apps.heartbeat.status_bar import status_snapshot

pytestmark = pytest.mark.django_db


def test_strategy_live_only_while_a_strategy_of_the_user_runs(alice, bob, strategy, paper_broker, activate):
    assert status_snapshot(alice.id)["strategy_live"] is False
    activation = activate(alice, strategy, paper_broker)
    assert status_snapshot(alice.id)["strategy_live"] is True
    assert status_snapshot(bob.id)["strategy_live"] is False  # la stratégie d'alice ne regarde pas bob
    assert "strategy_live" not in status_snapshot()  # état public (publié à tous) : rien de personnel
    activation.state = "suspended"
    activation.save()
    assert status_snapshot(alice.id)["strategy_live"] is False


def test_the_status_api_and_websocket_speak_of_the_logged_in_user(alice, bob_api, strategy, paper_broker, activate):
    activate(alice, strategy, paper_broker)
    assert bob_api.get("/api/status/").json()["strategy_live"] is False
