"""Réception d'un webhook : enregistrer d'abord, lire le signal, repérer les doublons, répondre vite.

L'ordre n'est jamais passé ici : le worker (`run_webhook_worker`) s'en charge après la réponse.
"""

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.client_address import client_ip
from apps.webhooks.models import Webhook
from apps.webhooks.services import rate
from apps.webhooks.services.tokens import find_tokens, sender_allowed
from apps.webhooks.signal import InvalidSignal, Signal, parse_signal

logger = logging.getLogger("aristobot.webhooks")

DUPLICATE_WINDOW = timedelta(seconds=10)
KEPT_HEADERS = ("Content-Type", "Content-Length", "User-Agent", "X-Forwarded-For", "X-Real-IP")


class SenderRefused(Exception):
    """Jeton valide mais adresse IP hors de la liste TradingView : la livraison est enregistrée, refusée."""

    def __init__(self, webhook: Webhook):
        super().__init__(webhook.error)
        self.webhook = webhook


class TooManyDeliveries(SenderRefused):
    """Plus de WEBHOOK_RATE_PER_MINUTE livraisons en une minute pour ce jeton : refusée (429) ; la première de la
    minute est enregistrée (début du corps seulement), les suivantes ne sont que comptées (`rate`)."""

    def __init__(self, webhook: Webhook, *, stored: bool):
        super().__init__(webhook)
        self.stored = stored


@dataclass(frozen=True)
class Delivery:
    """Une requête reçue sur l'URL d'un jeton, avant toute lecture en base."""

    token: str
    body: bytes
    content_type: str
    headers: Mapping[str, str]
    remote_addr: str | None
    received_at: datetime | None = None  # rejouée depuis le journal d'une panne de la base : heure d'arrivée


Outcome = Webhook | SenderRefused | None  # None : jeton inconnu


def receive_all(deliveries: list[Delivery]) -> list[Outcome]:
    """Enregistre des livraisons arrivées ensemble, chacune déjà classée (reçu, invalide, doublon) : une lecture
    des jetons, une du débit par utilisateur, une transaction et un INSERT pour tout le lot. Le résultat suit
    l'ordre des livraisons : le webhook, SenderRefused / TooManyDeliveries (enregistrée, refusée), ou None.

    Une erreur sur le lot le rejoue livraison par livraison : une livraison qui échoue n'emporte pas les
    autres (son erreur prend sa place dans le résultat). La page et le worker sont prévenus par l'appelant.
    """
    try:
        return _receive_together(deliveries)
    except Exception:
        if len(deliveries) == 1:
            raise
        logger.exception("Lot de %d webhooks refusé par la base : enregistrement un par un", len(deliveries))
    outcomes: list = []
    for delivery in deliveries:
        try:
            outcomes += _receive_together([delivery])
        except Exception as error:
            logger.exception("Webhook refusé par la base à la réception")
            outcomes.append(error)
    return outcomes


def _receive_together(deliveries: list[Delivery]) -> list[Outcome]:
    owners = find_tokens([delivery.token for delivery in deliveries])
    counts: dict[int, int] = {}
    for owner in owners:
        if owner is not None:
            counts[owner.user_id] = counts.get(owner.user_id, 0) + 1
    recent = rate.reserve(counts, timezone.now()) if counts else {}
    outcomes: list[Outcome] = []
    readable: list[tuple[Webhook, Signal]] = []
    for delivery, owner in zip(deliveries, owners):
        if owner is None:
            outcomes.append(None)
            continue
        webhook, outcome, signal = _first_look(delivery, owner, recent)
        outcomes.append(outcome)
        if signal is not None:
            readable.append((webhook, signal))
    stored = [
        outcome.webhook if isinstance(outcome, SenderRefused) else outcome
        for outcome in outcomes
        if not (isinstance(outcome, TooManyDeliveries) and not outcome.stored)
    ]
    with transaction.atomic():
        repeats = _mark_duplicates(readable)
        later = {id(webhook) for webhook, _, _ in repeats}
        Webhook.objects.bulk_create([webhook for webhook in stored if webhook is not None and id(webhook) not in later])
        for webhook, original, reason in repeats:
            webhook.error = _duplicate_error(original, reason)
        Webhook.objects.bulk_create([webhook for webhook, _, _ in repeats])
    return outcomes


def _first_look(delivery: Delivery, owner, recent: dict[int, int]) -> tuple[Webhook, Outcome, Signal | None]:
    """La livraison prête à enregistrer : (webhook, résultat, signal lisible ou None)."""
    ip = client_ip(delivery.remote_addr, delivery.headers)
    webhook = Webhook(
        user=owner.user,
        body=delivery.body,
        body_sha256=hashlib.sha256(delivery.body).hexdigest(),
        content_type=delivery.content_type[:200],
        headers={name: delivery.headers[name] for name in KEPT_HEADERS if name in delivery.headers},
        source_ip=ip,
        received_at=delivery.received_at or timezone.now(),
    )
    position = recent[owner.user_id]  # livraisons de ce jeton comptées avant elle cette minute
    recent[owner.user_id] += 1
    if not sender_allowed(owner, ip):
        _refuse_sender(
            webhook, f"Adresse IP refusée : {ip or 'inconnue'} (seules les IP de TradingView sont acceptées)."
        )
        return webhook, SenderRefused(webhook), None
    if position >= settings.WEBHOOK_RATE_PER_MINUTE:
        _refuse_sender(
            webhook,
            f"Trop de livraisons : {settings.WEBHOOK_RATE_PER_MINUTE} par minute au plus pour "
            "ce jeton (jeton divulgué ? régénérez-le dans la page Webhooks).",
        )
        return webhook, TooManyDeliveries(webhook, stored=position == settings.WEBHOOK_RATE_PER_MINUTE), None
    try:
        signal = parse_signal(delivery.body)
    except InvalidSignal as error:
        _refuse(webhook, str(error))
        return webhook, webhook, None
    except Exception:
        logger.exception("Signal d'un webhook de %s illisible à la réception : le worker le relira", owner.user)
        return webhook, webhook, None
    return webhook, webhook, signal


def _refuse(webhook: Webhook, reason: str) -> None:
    webhook.status, webhook.error = Webhook.Status.INVALID, reason


def _refuse_sender(webhook: Webhook, reason: str) -> None:
    """Expéditeur refusé (IP, débit) : seul le début du corps est gardé, un jeton divulgué ne remplit pas le disque."""
    _refuse(webhook, reason)
    webhook.body = bytes(webhook.body[: rate.REFUSED_BODY_BYTES])


def _duplicate_key(webhook: Webhook, signal_id: str) -> tuple:
    return (webhook.user_id, "id", signal_id) if signal_id else (webhook.user_id, "body", webhook.body_sha256)


def _mark_duplicates(readable: list[tuple[Webhook, Signal]]) -> list[tuple[Webhook, Webhook, str]]:
    """Lit les signaux sous les verrous de leurs clés de doublon : une livraison qui répète une livraison en base
    devient doublon d'elle ; une qui répète une livraison plus ancienne du lot est retournée (doublon, original,
    raison), à enregistrer après son original."""
    if not readable:
        return []
    keys = sorted({_lock_key(webhook.user_id, signal.id, webhook.body_sha256) for webhook, signal in readable})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) AS key ORDER BY key", [keys])
    in_base = _stored_originals(readable)
    first_in_batch: dict[tuple, Webhook] = {}
    repeats: list[tuple[Webhook, Webhook, str]] = []
    for webhook, signal in readable:
        webhook.signal, webhook.signal_id = signal.to_json(), signal.id
        key = _duplicate_key(webhook, signal.id)
        original = next((found for found in in_base.get(key, ()) if _repeats(webhook, found)), None)
        if original is None and key not in first_in_batch:
            first_in_batch[key] = webhook
            continue
        webhook.status = Webhook.Status.DUPLICATE
        reason = f"même id « {signal.id} »" if signal.id else "message identique à moins de 10 s"
        if original is None:
            repeats.append((webhook, first_in_batch[key], reason))
        else:
            webhook.error = _duplicate_error(original, reason)
    return repeats


def _duplicate_error(original: Webhook, reason: str) -> str:
    return f"Doublon du webhook n° {original.pk} ({reason}) : aucun ordre passé."


def _stored_originals(readable: list[tuple[Webhook, Signal]]) -> dict[tuple, list[Webhook]]:
    """Les livraisons déjà classées en base qui pourraient être l'original de l'une du lot, par clé, les plus
    anciennes d'abord."""
    wanted = []
    for webhook, signal in readable:
        if signal.id:
            wanted.append(
                Q(user_id=webhook.user_id, signal_id=signal.id)
                & Q(status__in=[Webhook.Status.RECEIVED, Webhook.Status.PROCESSED])
            )
        else:
            window = (webhook.received_at - DUPLICATE_WINDOW, webhook.received_at + DUPLICATE_WINDOW)
            wanted.append(
                Q(user_id=webhook.user_id, body_sha256=webhook.body_sha256, received_at__range=window)
                & Q(status__in=[Webhook.Status.RECEIVED, Webhook.Status.PROCESSED, Webhook.Status.FAILED])
            )
    found: dict[tuple, list[Webhook]] = {}
    columns = ("pk", "user_id", "signal_id", "body_sha256", "received_at")
    for original in Webhook.objects.filter(reduce(or_, wanted), signal__isnull=False).order_by("pk").only(*columns):
        found.setdefault(_duplicate_key(original, original.signal_id), []).append(original)
    return found


def _repeats(webhook: Webhook, original: Webhook) -> bool:
    return bool(webhook.signal_id) or abs(webhook.received_at - original.received_at) <= DUPLICATE_WINDOW


def _lock_key(user_id: int, signal_id: str, body_sha256: str) -> int:
    """Clé de verrou PostgreSQL (64 bits) : deux livraisons qui pourraient être doublons l'une de l'autre."""
    what = f"{user_id}:id:{signal_id}" if signal_id else f"{user_id}:body:{body_sha256}"
    return int.from_bytes(hashlib.sha256(what.encode()).digest()[:8], "big", signed=True)


@transaction.atomic
def classify(webhook_id: int) -> Webhook:
    """Classe un webhook enregistré sans avoir été lu (erreur à la réception) : invalide, doublon ou reçu.
    Sans effet sur un webhook déjà classé."""
    webhook = Webhook.objects.select_for_update().get(pk=webhook_id)
    if webhook.status != Webhook.Status.RECEIVED or webhook.signal is not None:
        return webhook
    try:
        signal = parse_signal(bytes(webhook.body))
    except InvalidSignal as error:
        _refuse(webhook, str(error))
        webhook.save(update_fields=["status", "error"])
        return webhook
    _mark_duplicates([(webhook, signal)])
    webhook.save(update_fields=["signal", "signal_id", "status", "error"])
    return webhook
