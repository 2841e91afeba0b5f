"""La file des envois (AlertDelivery) : créée pour les canaux activés, vidée par `run_alerts`.

Une ligne n'est envoyée qu'après être passée « en cours d'envoi » (transaction validée) : un processus tué
pendant l'envoi laisse la ligne « interrompue » à la reprise, jamais renvoyée (pas de doublon) ; une ligne
en attente survit à tout arrêt (rien de perdu). Un échec réessaie avec une attente doublée."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.alerts.events import emit
from apps.alerts.models import AlertDelivery, AlertEvent, Channel
from apps.alerts.preferences import channels_for, chat_id, email_of, settings_for

logger = logging.getLogger("aristobot.alerts")

MAX_ATTEMPTS = 5
EXTERNAL = (Channel.TELEGRAM, Channel.EMAIL)
Status = AlertDelivery.Status


def _configured(alert_settings, channel: str) -> bool:
    if channel == Channel.TELEGRAM:
        return bool(settings.TELEGRAM_BOT_TOKEN and chat_id(alert_settings))
    return bool(settings.EMAIL_HOST and email_of(alert_settings))


def _wanted(event: AlertEvent, alert_settings) -> list[str]:
    if event.kind == "test":
        return [event.data.get("channel")]
    wanted = [channel for channel in channels_for(alert_settings, event.kind) if channel in EXTERNAL]
    failed = event.data.get("failed_channel") if event.kind == "channel_failed" else None
    return [channel for channel in wanted if channel != failed]


def dispatch() -> int:
    """Crée les envois des alertes pas encore réparties ; retourne le nombre d'envois créés."""
    created = 0
    with transaction.atomic():
        events = list(
            AlertEvent.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(dispatched=False)
            .order_by("created_at", "id")[:200]
        )
        for event in events:
            alert_settings = settings_for(event.user_id)
            for channel in _wanted(event, alert_settings):
                if _configured(alert_settings, channel):
                    AlertDelivery.objects.get_or_create(event=event, channel=channel)
                    created += 1
            event.dispatched = True
            event.save(update_fields=["dispatched"])
    return created


def recover_interrupted() -> int:
    """Au démarrage : un envoi resté « en cours » a peut-être été reçu ; il n'est pas renvoyé."""
    return AlertDelivery.objects.filter(status=Status.SENDING).update(
        status=Status.INTERRUPTED, last_error="Aristobot s'est arrêté pendant l'envoi : message peut-être reçu"
    )


def claim_next() -> AlertDelivery | None:
    """L'envoi dû le plus ancien, passé « en cours » : un seul à la fois, pour qu'un arrêt n'en interrompe qu'un."""
    with transaction.atomic():
        delivery = (
            AlertDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event", "event__user")
            .filter(status=Status.PENDING, next_try_at__lte=timezone.now())
            .order_by("next_try_at", "id")
            .first()
        )
        if delivery is not None:
            delivery.status, delivery.attempts = Status.SENDING, delivery.attempts + 1
            delivery.save(update_fields=["status", "attempts"])
    return delivery


@transaction.atomic
def mark_sent(delivery: AlertDelivery) -> None:
    delivery.status, delivery.sent_at, delivery.last_error = Status.SENT, timezone.now(), ""
    delivery.save(update_fields=["status", "sent_at", "last_error"])
    alert_settings = settings_for(delivery.event.user_id)
    if alert_settings.failures.pop(delivery.channel, None) is not None:
        alert_settings.save(update_fields=["failures", "updated_at"])


@transaction.atomic
def mark_failed(delivery: AlertDelivery, error: str) -> None:
    """Réessai plus tard (attente doublée), ou échec définitif ; le canal en panne est signalé une fois."""
    now = timezone.now()
    final = delivery.attempts >= MAX_ATTEMPTS
    delay = settings.ALERT_RETRY_SECONDS * 2 ** (delivery.attempts - 1)
    delivery.status = Status.FAILED if final else Status.PENDING
    delivery.next_try_at, delivery.last_error = now + timedelta(seconds=delay), error
    delivery.save(update_fields=["status", "next_try_at", "last_error"])
    alert_settings = settings_for(delivery.event.user_id)
    if delivery.channel in alert_settings.failures:
        return
    alert_settings.failures[delivery.channel] = {"error": error, "at": now.isoformat()}
    alert_settings.save(update_fields=["failures", "updated_at"])
    label = Channel(delivery.channel).label
    emit(
        kind="channel_failed",
        user_id=delivery.event.user_id,
        text=f"Les alertes {label} n'arrivent plus : {error}",
        data={"failed_channel": delivery.channel},
        key=f"channel-failed-{delivery.channel}-{now.isoformat()}",
    )
