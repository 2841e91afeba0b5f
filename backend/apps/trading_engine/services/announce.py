"""Les messages d'une activation, vers le seul groupe de son utilisateur."""

import logging

from django.db import transaction
from django.utils import timezone

from apps.core.channels import ACTIVE_STRATEGY, STRATEGY_DECISION, client_event, publish_sync, user_group
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.serializers import ActivationSerializer

logger = logging.getLogger("aristobot.engine")


def announce(activation: ActiveStrategy) -> None:
    try:
        # Relue : un objet gardé en mémoire par un fil (moteur, suivi des positions) peut dire « en marche » après
        # un Stop, avec un updated_at plus récent que lui ; le navigateur garderait cet état périmé.
        fresh = ActiveStrategy.objects.filter(pk=activation.pk).select_related("strategy", "broker", "version").first()
        if fresh is None:
            return
        data = dict(ActivationSerializer(fresh).data)
        publish_sync(user_group(activation.user_id), client_event(ACTIVE_STRATEGY, data))
    except Exception:  # l'activation est enregistrée : seule la notification est perdue
        logger.warning("Activation %s non publiée sur le WebSocket", activation.pk, exc_info=True)


def announce_on_commit(activation: ActiveStrategy) -> None:
    transaction.on_commit(lambda: announce(activation))


def announce_decision(*, activation: ActiveStrategy, action: str, message: str) -> None:
    """`action` : long, exit, nothing ou error ; `message` en français."""
    data = {"active_strategy": activation.pk, "action": action, "message": message, "at": timezone.now().isoformat()}
    try:
        publish_sync(user_group(activation.user_id), client_event(STRATEGY_DECISION, data))
    except Exception:
        logger.warning("Décision de l'activation %s non publiée", activation.pk, exc_info=True)
