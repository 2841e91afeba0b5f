"""`emit` : la seule façon de créer une alerte (genres dans `kinds`)."""

import logging
from collections import OrderedDict

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.alerts.kinds import KINDS
from apps.alerts.models import AlertEvent
from apps.alerts.serializers import AlertEventSerializer
from apps.core.channels import ALERT, ALERTS_WORKER_GROUP, alerts_wake_event, client_event, publish_sync, user_group

logger = logging.getLogger("aristobot.alerts")
RECENT_KEYS = 5000
# Clés déjà enregistrées par ce processus : une position republiée à chaque changement ne retente pas l'insertion.
_recent: OrderedDict[tuple[int, str], None] = OrderedDict()


def emit(*, kind: str, user_id: int, text: str, data: dict | None = None, key: str | None = None) -> AlertEvent | None:
    """Enregistre l'événement (une fois par `key`), le pousse à la cloche et réveille `run_alerts` ;
    ne lève jamais : une alerte perdue ne défait pas un ordre. Retourne None si déjà enregistré."""
    if kind not in KINDS:
        raise ValueError(f"genre d'alerte inconnu : {kind}")
    key = key or f"{kind}-{timezone.now().isoformat()}"
    if (user_id, key) in _recent:
        return None
    try:
        with transaction.atomic():
            event = AlertEvent.objects.create(user_id=user_id, kind=kind, text=text, data=data or {}, key=key)
    except IntegrityError:
        _remember(user_id, key)
        return None
    except Exception:
        logger.exception("Alerte %s non enregistrée : %s", kind, text)
        return None
    transaction.on_commit(lambda: (_remember(user_id, key), _announce(event)))
    return event


def _remember(user_id: int, key: str) -> None:
    _recent[(user_id, key)] = None
    while len(_recent) > RECENT_KEYS:
        _recent.popitem(last=False)


def _announce(event: AlertEvent) -> None:
    try:
        publish_sync(user_group(event.user_id), client_event(ALERT, dict(AlertEventSerializer(event).data)))
        publish_sync(ALERTS_WORKER_GROUP, alerts_wake_event())
    except Exception:  # run_alerts relit la file de toute façon
        logger.warning("Alerte %s non publiée sur le WebSocket", event.pk)
