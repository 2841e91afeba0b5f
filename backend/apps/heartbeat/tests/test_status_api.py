import pytest
from django.utils import timezone

from apps.heartbeat.models import HeartbeatStatus

pytestmark = pytest.mark.django_db


def test_status_reflects_the_heartbeat_row(alice_api):
    body = alice_api.get("/api/status/").json()
    assert body == {
        "strategy_live": False,
        "heartbeat": {"active": False, "coherent": False, "gaps": 0, "last_message_at": None},
    }
    now = timezone.now()
    HeartbeatStatus.objects.filter(pk=1).update(connected=True, last_message_at=now, coherent=True)
    heartbeat = alice_api.get("/api/status/").json()["heartbeat"]
    assert heartbeat["active"] is True and heartbeat["coherent"] is True
    assert heartbeat["last_message_at"] == now.isoformat()


def test_a_disconnected_heartbeat_is_inactive_even_with_a_recent_message(alice_api):
    HeartbeatStatus.objects.update_or_create(pk=1, defaults={"connected": False, "last_message_at": timezone.now()})
    assert alice_api.get("/api/status/").json()["heartbeat"]["active"] is False
