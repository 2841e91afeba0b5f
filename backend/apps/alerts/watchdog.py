"""Le chien de garde : regarde les services de l'extérieur ; chaque incident est signalé une fois à son début,
une fois à sa fin (« résolu »), à tous les utilisateurs actifs.

PostgreSQL injoignable : ni Incident ni file d'alertes possibles. Le début est journalisé et envoyé directement par
Telegram et e-mail aux destinataires relus à la dernière passe réussie ; au retour de la base, l'incident est
enregistré (déjà clos) et « Résolu » part par la file (cloche, Telegram, e-mail)."""

import logging
from datetime import datetime, timedelta

import redis
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.utils import timezone

from apps.alerts import preferences
from apps.alerts.events import emit
from apps.alerts.models import Channel, Incident
from apps.alerts.senders import send_email, send_telegram
from apps.alerts.status import services
from apps.core.daemon import every
from apps.heartbeat.models import HeartbeatStatus
from apps.orders.reconciler import RECONCILER

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
            silent = "non exécuté" if service["name"] == RECONCILER else "silencieux"
            problems[f"silent-{service['name']}"] = f"{service['name']} {silent} depuis {_age(now, seen)} s"
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


def direct_recipients() -> list[tuple[str, str]]:
    """(canal, adresse) de chaque utilisateur actif qui reçoit les incidents par Telegram ou e-mail : de quoi
    prévenir sans la base."""
    found = []
    for user_id in get_user_model().objects.filter(is_active=True).values_list("pk", flat=True):
        alert_settings = preferences.settings_for(user_id)
        wanted = preferences.channels_for(alert_settings, "incident")
        chat, email = preferences.chat_id(alert_settings), preferences.email_of(alert_settings)
        if Channel.TELEGRAM in wanted and chat and settings.TELEGRAM_BOT_TOKEN:
            found.append((Channel.TELEGRAM, chat))
        if Channel.EMAIL in wanted and email and settings.EMAIL_HOST:
            found.append((Channel.EMAIL, email))
    return found


@transaction.atomic
def database_back(*, since: datetime, text: str, now: datetime) -> None:
    incident = Incident.objects.create(key="postgresql", text=text, started_at=since, ended_at=now)
    text = f"Résolu : {text} (durée {_age(now, since)} s)"
    _tell_everyone(kind="incident_resolved", text=text, key=f"incident-{incident.pk}-resolved")


class Watchdog:
    """Les passes du chien de garde ; garde en mémoire la panne de PostgreSQL et les destinataires directs."""

    def __init__(self):
        self.recipients: list[tuple[str, str]] = []
        self.database_down: tuple[datetime, str] | None = None

    def _pass(self) -> tuple[list[str], list[str]]:
        result = check()
        self.recipients = direct_recipients()
        return result

    async def step(self) -> None:
        try:
            opened, closed = await database_sync_to_async(self._pass)()
        except DatabaseError as error:
            await self._database_failed(error)
            return
        if self.database_down is not None:
            since, text = self.database_down
            await database_sync_to_async(database_back)(since=since, text=text, now=timezone.now())
            self.database_down = None
            logger.info("Incident résolu : postgresql")
        for key in opened:
            logger.warning("Incident : %s", key)
        for key in closed:
            logger.info("Incident résolu : %s", key)

    async def _database_failed(self, error: DatabaseError) -> None:
        if self.database_down is not None:
            return
        now = timezone.now()
        detail = (str(error).strip().splitlines() or [type(error).__name__])[0]
        text = f"PostgreSQL injoignable depuis {now:%H:%M} UTC : {detail}"
        self.database_down = (now, text)
        logger.error("Incident : %s", text)
        for channel, address in self.recipients:
            try:
                if channel == Channel.TELEGRAM:
                    await send_telegram(chat=address, text=text)
                else:
                    await send_email(to=address, subject="Aristobot : incident", body=text)
            except Exception as failure:  # un canal en panne n'empêche pas l'autre
                logger.error("Incident PostgreSQL non envoyé par %s : %s", channel, failure)


async def run(stop, *, interval: float) -> None:
    await every(interval, Watchdog().step, stop)
