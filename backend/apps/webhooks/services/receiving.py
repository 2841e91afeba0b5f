"""Réception d'un webhook : enregistrer d'abord, lire le signal, repérer les doublons, répondre vite.

L'ordre n'est jamais passé ici : le worker (`run_webhook_worker`) s'en charge après la réponse.
"""
import hashlib
import logging
from collections.abc import Mapping
from datetime import timedelta

from django.db import transaction

from apps.core.client_address import client_ip
from apps.webhooks.models import Webhook, WebhookToken
from apps.webhooks.services.events import notify
from apps.webhooks.services.tokens import find_token, sender_allowed
from apps.webhooks.signal import InvalidSignal, parse_signal

logger = logging.getLogger("aristobot.webhooks")

DUPLICATE_WINDOW = timedelta(seconds=10)
KEPT_HEADERS = ("Content-Type", "Content-Length", "User-Agent", "X-Forwarded-For", "X-Real-IP")


class SenderRefused(Exception):
    """Jeton valide mais adresse IP hors de la liste TradingView : la livraison est enregistrée, refusée."""

    def __init__(self, webhook: Webhook):
        super().__init__(webhook.error)
        self.webhook = webhook


def receive(*, token: str, body: bytes, content_type: str, headers: Mapping[str, str],
            remote_addr: str | None) -> Webhook | None:
    """Enregistre la livraison brute puis la classe (reçu, invalide, doublon) ; None si le jeton est inconnu.

    Lève SenderRefused (après enregistrement) si l'IP n'est pas autorisée.
    """
    owner = find_token(token)
    if owner is None:
        return None
    ip = client_ip(remote_addr, headers)
    webhook = Webhook.objects.create(
        user_id=owner.user_id, body=body, body_sha256=hashlib.sha256(body).hexdigest(),
        content_type=content_type[:200], headers={name: headers[name] for name in KEPT_HEADERS if name in headers},
        source_ip=ip,
    )
    if not sender_allowed(owner, ip):
        _finish_invalid(webhook, f"Adresse IP refusée : {ip or 'inconnue'} "
                                 "(seules les IP de TradingView sont acceptées).")
        notify(webhook, wake=False)
        raise SenderRefused(webhook)
    try:
        classify(webhook.pk)
    except Exception:
        # La livraison est enregistrée : le worker la classera à son tour.
        logger.exception("Webhook %s non classé à la réception", webhook.pk)
    webhook.refresh_from_db()
    notify(webhook, wake=webhook.status == Webhook.Status.RECEIVED)
    return webhook


def _finish_invalid(webhook: Webhook, reason: str) -> None:
    webhook.status, webhook.error = Webhook.Status.INVALID, reason
    webhook.save(update_fields=["status", "error"])


def _original_of(webhook: Webhook, signal_id: str) -> Webhook | None:
    """La livraison déjà classée dont `webhook` est le doublon : même id (reçue ou traitée),
    ou, sans id, mêmes octets à moins de 10 s d'écart."""
    classified = Webhook.objects.filter(user_id=webhook.user_id, signal__isnull=False).exclude(pk=webhook.pk)
    if signal_id:
        same = classified.filter(signal_id=signal_id, status__in=[Webhook.Status.RECEIVED, Webhook.Status.PROCESSED])
    else:
        same = classified.filter(
            body_sha256=webhook.body_sha256,
            received_at__range=(webhook.received_at - DUPLICATE_WINDOW, webhook.received_at + DUPLICATE_WINDOW),
            status__in=[Webhook.Status.RECEIVED, Webhook.Status.PROCESSED, Webhook.Status.FAILED],
        )
    return same.order_by("pk").first()


@transaction.atomic
def classify(webhook_id: int) -> Webhook:
    """Lit le signal d'un webhook encore « reçu » et non lu, et le marque invalide ou doublon s'il y a lieu.

    Les classements d'un même utilisateur passent un par un (verrou sur son jeton) : de deux doublons
    simultanés, un seul reste « reçu ». Sans effet sur un webhook déjà classé.
    """
    webhook = Webhook.objects.get(pk=webhook_id)
    list(WebhookToken.objects.select_for_update().filter(user_id=webhook.user_id).values_list("pk"))
    webhook = Webhook.objects.select_for_update().get(pk=webhook_id)
    if webhook.status != Webhook.Status.RECEIVED or webhook.signal is not None:
        return webhook
    try:
        signal = parse_signal(bytes(webhook.body))
    except InvalidSignal as error:
        _finish_invalid(webhook, str(error))
        return webhook
    webhook.signal, webhook.signal_id = signal.to_json(), signal.id
    original = _original_of(webhook, signal.id)
    if original is not None:
        webhook.status = Webhook.Status.DUPLICATE
        reason = f"même id « {signal.id} »" if signal.id else "message identique à moins de 10 s"
        webhook.error = f"Doublon du webhook n° {original.pk} ({reason}) : aucun ordre passé."
    webhook.save(update_fields=["signal", "signal_id", "status", "error"])
    return webhook
