"""Le chien de garde : regarde les services de l'extérieur ; chaque incident est signalé une fois à son début,
une fois à sa fin (« résolu »), à tous les utilisateurs actifs."""

import logging
from datetime import datetime, timedelta

import redis
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from apps.alerts.events import emit
from apps.alerts.models import Incident
from apps.alerts.status import services
from apps.core.daemon import every
from apps.heartbeat.models import HeartbeatStatus

logger = logging.getLogger("aristobot.watchdog")

CRASH_LOOP_STARTS = 3  # plus de 3 démarrages en 10 minutes : le service tourne en boucle de plantages


def _age(now: datetime, then: datetime) -> int:
    return int((now - then).total_seconds())


def heartbeat_problems(now: datetime) -> dict[str, str]:
    status = HeartbeatStatus.load()
    problems = {}
    last = status.last_candle_at
    if last and now - last > timedelta(seconds=settings.WATCHDOG_CANDLE_SECONDS):
        problems["heartbeat-silent"] = f"Heartbeat silencieux : dernière bougie 1m clôturée il y a {_age(now, last)} s"
    since = status.incoherent_since
    if since and now - since > timedelta(seconds=settings.WATCHDOG_CANDLE_SECONDS):
        problems["heartbeat-incoherent"] = (
            f"Heartbeat incohérent depuis {_age(now, since)} s ({len(status.gaps)} trous)"
        )
    return problems


def service_problems(now: datetime) -> dict[str, str]:
    problems = {}
    for service in services(now):
        if not service["alive"]:
            seen = datetime.fromisoformat(service["last_seen"])
            problems[f"silent-{service['name']}"] = f"{service['name']} silencieux depuis {_age(now, seen)} s"
        if service["starts_10_min"] > CRASH_LOOP_STARTS:
            problems[f"crash-loop-{service['name']}"] = (
                f"{service['name']} relancé {service['starts_10_min'] - 1} fois en 10 minutes"
            )
    return problems


def redis_problems() -> dict[str, str]:
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=3, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return {"redis": f"Redis injoignable : {error}"}
    return {}


def current_problems(now: datetime) -> dict[str, str]:
    return {**heartbeat_problems(now), **service_problems(now), **redis_problems()}


def _tell_everyone(*, kind: str, text: str, key: str) -> None:
    for user_id in get_user_model().objects.filter(is_active=True).values_list("pk", flat=True):
        emit(kind=kind, user_id=user_id, text=text, key=key)


@transaction.atomic
def check(now: datetime | None = None) -> tuple[list[str], list[str]]:
    """Une passe : ouvre les nouveaux incidents, ferme ceux qui ont cessé ; retourne (ouverts, fermés)."""
    now = now or timezone.now()
    problems = current_problems(now)
    open_incidents = {incident.key: incident for incident in Incident.objects.select_for_update().filter(ended_at=None)}
    opened, closed = [], []
    for key, text in problems.items():
        if key not in open_incidents:
            incident = Incident.objects.create(key=key, text=text, started_at=now)
            _tell_everyone(kind="incident", text=text, key=f"incident-{incident.pk}")
            opened.append(key)
    for key, incident in open_incidents.items():
        if key not in problems:
            incident.ended_at = now
            incident.save(update_fields=["ended_at"])
            text = f"Résolu : {incident.text} (durée {_age(now, incident.started_at)} s)"
            _tell_everyone(kind="incident_resolved", text=text, key=f"incident-{incident.pk}-resolved")
            closed.append(key)
    return opened, closed


async def run(stop, *, interval: float) -> None:
    async def step() -> None:
        opened, closed = await database_sync_to_async(check)()
        for key in opened:
            logger.warning("Incident : %s", key)
        for key in closed:
            logger.info("Incident résolu : %s", key)

    await every(interval, step, stop)
