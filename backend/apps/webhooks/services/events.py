"""Publication d'un webhook vers la page de son propriétaire, et réveil du worker."""

import logging

from apps.core.channels import (
    WEBHOOK,
    WEBHOOK_WORKER_GROUP,
    client_event,
    publish,
    publish_sync,
    user_group,
    webhook_wake_event,
)
from apps.webhooks.models import Webhook
from apps.webhooks.serializers import WebhookSerializer

logger = logging.getLogger("aristobot.webhooks")


def notify(webhook: Webhook, *, wake: bool) -> None:
    """Envoie la ligne au groupe de l'utilisateur (et réveille le worker si `wake`) ; Redis absent : journalisé,
    la réponse à TradingView et le traitement (le worker interroge aussi la base) n'en dépendent pas."""
    try:
        publish_sync(user_group(webhook.user_id), client_event(WEBHOOK, shown(webhook)))
        if wake:
            publish_sync(WEBHOOK_WORKER_GROUP, webhook_wake_event())
    except Exception:
        logger.exception("Webhook %s : publication impossible", webhook.pk)


# Un serializer construit une fois : ses champs ne sont pas recréés à chaque livraison d'une rafale.
_ROWS = WebhookSerializer()


def shown(webhook: Webhook) -> dict:
    """La ligne du webhook telle que la page la montre (à calculer hors de la boucle : lectures en base)."""
    return dict(_ROWS.to_representation(webhook))


async def notify_async(webhook: Webhook, row: dict) -> None:
    """`notify` pour la vue de réception (asynchrone), avec la ligne déjà calculée par `shown`."""
    try:
        await publish(user_group(webhook.user_id), client_event(WEBHOOK, row))
        if webhook.status == Webhook.Status.RECEIVED:
            await _wake_worker()
    except Exception:
        logger.exception("Webhook %s : publication impossible", webhook.pk)


class _Wakes:
    asked = 0
    sending = False


async def _wake_worker() -> None:
    """Un réveil du worker pour toute une rafale : une livraison enregistrée pendant l'envoi d'un réveil en
    demande un de plus, après lui (le worker prend alors tout ce qui attend) ; aucune n'est oubliée."""
    _Wakes.asked += 1
    if _Wakes.sending:
        return
    _Wakes.sending = True
    try:
        sent = 0
        while sent != _Wakes.asked:
            sent = _Wakes.asked
            await publish(WEBHOOK_WORKER_GROUP, webhook_wake_event())
    finally:
        _Wakes.sending = False
