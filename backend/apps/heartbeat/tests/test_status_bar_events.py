"""La barre de statut suit le heartbeat par événements : actif (vert) puis inactif (rouge) quand le flux se tait,
vert à nouveau à son retour ; l'arrêt du service le dit aussi."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from apps.heartbeat.models import HeartbeatStatus
from apps.heartbeat.status import StatusTracker
from apps.heartbeat.tests.conftest import play
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)


def dots(listener) -> list[bool]:
    """Les états « actif » successifs publiés, sans répétition."""
    states = [status["heartbeat"]["active"] for status in listener.statuses]
    return [state for index, state in enumerate(states) if index == 0 or states[index - 1] != state]


async def test_the_dot_turns_red_when_the_stream_stalls_and_green_when_it_comes_back(
    simulator, listener, start_heartbeat, settings
):
    settings.HEARTBEAT_ACTIVE_SECONDS = 1
    service = await start_heartbeat(stall_seconds=60)
    # L'historique des états, pas le dernier : « actif » ne dure qu'une seconde sans nouvelle bougie.
    await play(simulator, listener, 1)
    await eventually(lambda: True in dots(listener), message=lambda: str(dots(listener)))
    simulator.paused = True
    green = dots(listener).index(True)
    await eventually(lambda: False in dots(listener)[green:], message=lambda: str(dots(listener)))
    status = await sync_to_async(HeartbeatStatus.load)()
    assert status.connected  # toujours connecté, mais plus rien ne vient
    red = green + dots(listener)[green:].index(False)
    simulator.paused = False
    await play(simulator, listener, 1)
    await eventually(lambda: True in dots(listener)[red:], message=lambda: str(dots(listener)))
    assert dots(listener)[green : red + 2] == [True, False, True]

    published = len(listener.statuses)
    await service.status.flush()
    await service.status.flush()
    assert len(listener.statuses) == published  # rien de neuf à montrer : rien de publié

    await start_heartbeat.stop_all()
    await eventually(lambda: dots(listener)[-1:] == [False], message="l'arrêt n'a pas éteint le voyant")
    status = await sync_to_async(HeartbeatStatus.load)()
    assert not status.connected


async def test_an_active_status_has_a_lifetime_and_is_renewed_before_it_ends(listener, settings):
    """Un heartbeat mort ne publie plus rien : « actif » dit combien de temps il le reste, et le heartbeat vivant le
    republie avant ce terme, même sans rien de neuf."""
    settings.HEARTBEAT_ACTIVE_SECONDS = 10
    now = [timezone.now()]
    tracker = StatusTracker(clock=lambda: now[0])
    tracker.connected, tracker.last_message_at = True, timezone.now()
    await tracker.flush()
    await eventually(lambda: len(listener.statuses) == 1)
    first = listener.statuses[0]
    assert first["heartbeat"]["active"] and 9 < first["heartbeat"]["active_for"] <= 10
    assert "strategy_live" not in first  # état public, publié à tous : rien des stratégies d'un utilisateur

    now[0] += timedelta(seconds=1)
    await tracker.flush()
    now[0] += timedelta(seconds=5)
    tracker.last_message_at = timezone.now()
    await tracker.flush()
    await eventually(lambda: len(listener.statuses) == 2, message="actif non renouvelé")
    assert listener.statuses[1]["heartbeat"]["active_for"] > 9
