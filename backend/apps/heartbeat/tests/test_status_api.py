from datetime import timedelta

import pytest
from django.utils import timezone

from apps.heartbeat.models import HeartbeatStatus

pytestmark = pytest.mark.django_db

QUIET = {"since": None, "starting": [], "backfilling": [], "gaps": []}


def test_status_reflects_the_heartbeat_row(alice_api):
    body = alice_api.get("/api/status/").json()
    assert body == {
        "strategy_live": False,
        "sandbox": None,  # ce noyau offre tout le confinement du runner (voir strategies/tests/test_confinement.py)
        "clock": None,  # aucun écart d'horloge de plus d'1 s mesuré (voir orders/tests/test_binance_rules.py)
        "heartbeat": {"active": False, "active_for": 0, "coherent": False, "gaps": 0, "last_message_at": None},
        "coherence": QUIET,
        "risk": [],  # aucune limite de risque atteinte (apps.risk ; voir risk/tests/test_limits_api.py)
    }
    now = timezone.now()
    HeartbeatStatus.objects.filter(pk=1).update(connected=True, last_message_at=now, coherent=True)
    heartbeat = alice_api.get("/api/status/").json()["heartbeat"]
    assert heartbeat["active"] is True and heartbeat["coherent"] is True
    assert 0 < heartbeat["active_for"] <= 10  # HEARTBEAT_ACTIVE_SECONDS : le navigateur l'éteint seul ensuite
    assert heartbeat["last_message_at"] == now.isoformat()


def test_a_disconnected_heartbeat_is_inactive_even_with_a_recent_message(alice_api):
    HeartbeatStatus.objects.update_or_create(pk=1, defaults={"connected": False, "last_message_at": timezone.now()})
    assert alice_api.get("/api/status/").json()["heartbeat"]["active"] is False


def test_an_incoherent_heartbeat_says_why_and_since_when(alice_api):
    since = timezone.now() - timedelta(minutes=7)
    gap = {
        "symbol": "BTC/USDT",
        "start": "2024-03-01T23:53:00+00:00",
        "end": "2024-03-01T23:56:00+00:00",
        "minutes": 4,
        "reason": "unavailable",
    }
    HeartbeatStatus.objects.update_or_create(
        pk=1,
        defaults={
            "connected": True,
            "last_message_at": timezone.now(),
            "coherent": False,
            "gaps": [gap],
            "incoherent_since": since,
            "starting": ["ETH/USDT"],
            "backfilling": ["BTC/USDT"],
        },
    )
    body = alice_api.get("/api/status/").json()
    assert body["heartbeat"]["coherent"] is False and body["heartbeat"]["gaps"] == 1
    assert body["coherence"] == {
        "since": since.isoformat(),
        "starting": ["ETH/USDT"],
        "backfilling": ["BTC/USDT"],
        "gaps": [gap],
    }


def test_the_status_needs_a_session(prod_mode, api):
    assert api.get("/api/status/").status_code in (401, 403)
