"""Réception d'un webhook : enregistrer d'abord, lire le signal, repérer les doublons, répondre vite.

L'ordre n'est jamais passé ici : le worker (`run_webhook_worker`) s'en charge après la réponse.
"""

import hashlib
import logging
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.core.client_address import client_ip
from apps.webhooks.models import Webhook
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


class TooManyDeliveries(SenderRefused):
    """Plus de WEBHOOK_RATE_PER_MINUTE livraisons en une minute pour ce jeton : enregistrée, refusée (429)."""


def _over_rate(user_id: int) -> bool:
    limit = settings.WEBHOOK_RATE_PER_MINUTE
    recent = Webhook.objects.filter(user_id=user_id, received_at__gte=timezone.now() - timedelta(minutes=1))
    return recent.values("pk")[:limit].count() >= limit  # compte borné : jamais plus de `limit` lignes lues


def receive(
    *, token: str, body: bytes, content_type: str, headers: Mapping[str, str], remote_addr: str | None
) -> Webhook | None:
    """Enregistre la livraison, déjà classée (reçu, invalide, doublon) ; None si le jeton est inconnu.

    Lève SenderRefused (après enregistrement) si l'IP n'est pas autorisée, TooManyDeliveries au-delà du débit
    permis. Une erreur inattendue du classement n'empêche pas l'enregistrement brut : le worker classera.
    La page de l'utilisateur et le worker sont prévenus par l'appelant (`notify`).
    """
    owner = find_token(token)
    if owner is None:
        return None
    ip = client_ip(remote_addr, headers)
    webhook = Webhook(
        user=owner.user,
        body=body,
        body_sha256=hashlib.sha256(body).hexdigest(),
        content_type=content_type[:200],
        headers={name: headers[name] for name in KEPT_HEADERS if name in headers},
        source_ip=ip,
    )
    if not sender_allowed(owner, ip):
        _finish_invalid(
            webhook, f"Adresse IP refusée : {ip or 'inconnue'} (seules les IP de TradingView sont acceptées)."
        )
        raise SenderRefused(webhook)
    if _over_rate(owner.user_id):
        _finish_invalid(
            webhook,
            f"Trop de livraisons : {settings.WEBHOOK_RATE_PER_MINUTE} par minute au plus pour "
            "ce jeton (jeton divulgué ? régénérez-le dans la page Webhooks).",
        )
        raise TooManyDeliveries(webhook)
    try:
        signal = parse_signal(body)
    except InvalidSignal as error:
        _finish_invalid(webhook, str(error))
        return webhook
    except Exception:
        logger.exception("Signal d'un webhook de %s illisible à la réception : le worker le relira", owner.user)
        webhook.save()
        return webhook
    _save_classified(webhook, signal)
    return webhook


def _finish_invalid(webhook: Webhook, reason: str) -> None:
    webhook.status, webhook.error = Webhook.Status.INVALID, reason
    webhook.save(update_fields=["status", "error"] if webhook.pk else None)


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


def _lock_key(user_id: int, signal_id: str, body_sha256: str) -> int:
    """Clé de verrou PostgreSQL (64 bits) : deux livraisons qui pourraient être doublons l'une de l'autre."""
    what = f"{user_id}:id:{signal_id}" if signal_id else f"{user_id}:body:{body_sha256}"
    return int.from_bytes(hashlib.sha256(what.encode()).digest()[:8], "big", signed=True)


def _lock_duplicates(webhook: Webhook, signal_id: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(webhook.user_id, signal_id, webhook.body_sha256)])


def _mark(webhook: Webhook, signal) -> None:
    """Le signal lu ; doublon s'il répète une livraison déjà classée (sous le verrou de sa clé)."""
    webhook.signal, webhook.signal_id = signal.to_json(), signal.id
    original = _original_of(webhook, signal.id)
    if original is not None:
        webhook.status = Webhook.Status.DUPLICATE
        reason = f"même id « {signal.id} »" if signal.id else "message identique à moins de 10 s"
        webhook.error = f"Doublon du webhook n° {original.pk} ({reason}) : aucun ordre passé."


@transaction.atomic
def _save_classified(webhook: Webhook, signal) -> None:
    """Première écriture d'une livraison au signal lisible : un seul INSERT, déjà classée.

    Seules les livraisons qui pourraient être doublons l'une de l'autre (même id, ou mêmes octets) passent une
    par une (verrou PostgreSQL sur cette clé) : de deux doublons simultanés, un seul reste « reçu » ; les autres
    alertes du même utilisateur sont enregistrées en parallèle."""
    _lock_duplicates(webhook, signal.id)
    _mark(webhook, signal)
    webhook.save()


@transaction.atomic
def classify(webhook_id: int) -> Webhook:
    """Classe un webhook enregistré sans avoir été lu (erreur à la réception) : invalide, doublon ou reçu.
    Sans effet sur un webhook déjà classé."""
    webhook = Webhook.objects.get(pk=webhook_id)
    if webhook.status != Webhook.Status.RECEIVED or webhook.signal is not None:
        return webhook
    try:
        signal = parse_signal(bytes(webhook.body))
    except InvalidSignal as error:
        _finish_invalid(webhook, str(error))
        return webhook
    _lock_duplicates(webhook, signal.id)
    webhook = Webhook.objects.select_for_update().get(pk=webhook_id)
    if webhook.status != Webhook.Status.RECEIVED or webhook.signal is not None:
        return webhook
    _mark(webhook, signal)
    webhook.save(update_fields=["signal", "signal_id", "status", "error"])
    return webhook
