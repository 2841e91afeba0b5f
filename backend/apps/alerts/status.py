"""L'état des services vu par le chien de garde : page Services, /statut de Telegram."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from apps.alerts.models import Incident
from apps.core.models import ServiceBeat
from apps.heartbeat.models import HeartbeatStatus
from apps.orders.reconciler import RECONCILER

CRASH_LOOP_WINDOW = timedelta(minutes=10)
WATCHDOG = "Chien de garde"  # nom du service de `run_watchdog`


def _starts_since(beat: ServiceBeat, since: datetime) -> int:
    return sum(1 for at in beat.starts if datetime.fromisoformat(at) >= since)


def _silent_seconds(name: str) -> int:
    """Le réconciliateur passe chaque minute : silencieux après WATCHDOG_RECONCILER_SECONDS ; les autres après
    WATCHDOG_SILENT_SECONDS."""
    return settings.WATCHDOG_RECONCILER_SECONDS if name == RECONCILER else settings.WATCHDOG_SILENT_SECONDS


def services(now: datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return [
        {
            "name": beat.name,
            "alive": beat.last_seen >= now - timedelta(seconds=_silent_seconds(beat.name)),
            "last_seen": beat.last_seen.isoformat(),
            "started_at": beat.started_at.isoformat(),
            "restarts_today": max(_starts_since(beat, midnight) - 1, 0),
            "starts_10_min": _starts_since(beat, now - CRASH_LOOP_WINDOW),
        }
        for beat in ServiceBeat.objects.all()
    ]


def heartbeat_view() -> dict:
    status = HeartbeatStatus.load()
    return {
        "connected": status.connected,
        "coherent": status.coherent,
        "last_candle_at": status.last_candle_at.isoformat() if status.last_candle_at else None,
    }


def snapshot() -> dict:
    """{"services": [...], "watchdog": le chien de garde tourne, "heartbeat": {...}, "incidents": [incidents
    ouverts], "checked_at"}."""
    listed = services()
    return {
        "services": listed,
        "watchdog": any(service["name"] == WATCHDOG and service["alive"] for service in listed),
        "heartbeat": heartbeat_view(),
        "incidents": [
            {"key": incident.key, "text": incident.text, "started_at": incident.started_at.isoformat()}
            for incident in Incident.objects.filter(ended_at=None)
        ],
        "checked_at": timezone.now().isoformat(),
    }
