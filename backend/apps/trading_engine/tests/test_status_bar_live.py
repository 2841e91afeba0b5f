"""La barre de statut montre « stratégie live » seulement quand au moins une stratégie tourne."""

import pytest

from apps.heartbeat.status_bar import status_snapshot

pytestmark = pytest.mark.django_db


def test_strategy_live_only_while_a_strategy_runs(alice, strategy, paper_broker, activate):
    assert status_snapshot()["strategy_live"] is False
    activation = activate(alice, strategy, paper_broker)
    assert status_snapshot()["strategy_live"] is True
    activation.state = "suspended"
    activation.save()
    assert status_snapshot()["strategy_live"] is False
