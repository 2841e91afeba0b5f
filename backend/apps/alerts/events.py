"""`emit` : la seule façon de créer une alerte (genres dans `kinds`)."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.alerts.kinds import KINDS
from apps.alerts.models import AlertEvent
from apps.alerts.serializers import AlertEventSerializer
from apps.core.channels import ALERT, ALERTS_WORKER_GROUP, alerts_wake_event, client_event, publish_sync, user_group

logger = logging.getLogger("aristobot.alerts")


def emit(*, kind: str, user_id: int, text: str, data: dict | None = None, key: str | None = None) -> AlertEvent | None:
    """Enregistre l'événement (une fois par `key`), le pousse à la cloche et réveille `run_alerts` ;
    ne lève jamais : une alerte perdue ne défait pas un ordre. Retourne None si déjà enregistré."""
    if kind not in KINDS:
        raise ValueError(f"genre d'alerte inconnu : {kind}")
    try:
        with transaction.atomic():
            event = AlertEvent.objects.create(
                user_id=user_id,
                kind=kind,
                text=text,
                data=data or {},
                key=key or f"{kind}-{timezone.now().isoformat()}",
            )
    except IntegrityError:
        return None
    except Exception:
        logger.exception("Alerte %s non enregistrée : %s", kind, text)
        return None
    transaction.on_commit(lambda: _announce(event))
    return event


def _announce(event: AlertEvent) -> None:
    try:
        publish_sync(user_group(event.user_id), client_event(ALERT, dict(AlertEventSerializer(event).data)))
        publish_sync(ALERTS_WORKER_GROUP, alerts_wake_event())
    except Exception:  # run_alerts relit la file de toute façon
        logger.warning("Alerte %s non publiée sur le WebSocket", event.pk)
