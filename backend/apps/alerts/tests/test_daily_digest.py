"""Résumé quotidien : à l'heure choisie dans le fuseau de l'utilisateur, une fois par jour, avec soldes, P&L du
jour par source et positions ouvertes, jusqu'au faux Telegram."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from apps.alerts.digest import send_due_digests
from apps.alerts.models import AlertEvent
from apps.alerts.tests.conftest import ALICE_CHAT
from apps.stats.models import BalanceSnapshot

pytestmark = pytest.mark.django_db(transaction=True)
PARIS = ZoneInfo("Europe/Paris")


def test_the_digest_comes_once_at_the_chosen_hour_of_the_users_zone(
    alice_linked, alice_api, paper_broker, candle, telegram, drain
):
    alice_linked.display_timezone = "Europe/Paris"
    alice_linked.save()
    assert alice_api.put("/api/alerts/settings/", {"digest_hour": 21}, format="json").data["digest_hour"] == 21
    BalanceSnapshot.objects.create(
        broker=paper_broker,
        taken_at=datetime(2026, 12, 7, 18, tzinfo=PARIS),
        reason="hourly",
        total_usd=Decimal("10012.5"),
    )

    assert send_due_digests(datetime(2026, 12, 7, 20, 59, tzinfo=PARIS)) == 0
    assert send_due_digests(datetime(2026, 12, 7, 21, 0, tzinfo=PARIS)) == 1
    assert send_due_digests(datetime(2026, 12, 7, 23, 0, tzinfo=PARIS)) == 0
    drain()

    digest = telegram.wait_for_message(ALICE_CHAT, "Résumé du 2026-12-07")
    assert digest == (
        "Résumé du 2026-12-07\nSoldes : Démo 10\u202f012,50 USD\nP&L du jour : aucune position clôturée\n"
        "Positions ouvertes : 0"
    )
    assert AlertEvent.objects.filter(kind="digest").count() == 1


def test_a_bad_digest_hour_is_refused_in_french(alice_api):
    response = alice_api.put("/api/alerts/settings/", {"digest_hour": 24}, format="json")

    assert response.status_code == 400
    assert "inférieure ou égale à\xa023" in str(response.data["digest_hour"][0])
