"""Traitement d'un webhook « reçu », par le worker : broker, paire, ordre via le service d'ordres, résultat.

Une seule fois par webhook : le worker le réserve (SELECT … FOR UPDATE SKIP LOCKED + bail), et l'ordre
porte un client_order_id tiré du webhook, que le service d'ordres ne passe qu'une fois.
"""

from datetime import timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.brokers.models import Broker
from apps.core.exceptions import ExchangeError
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders import books
from apps.orders.models import Position, Trade
from apps.orders.request import OrderRequest
from apps.orders.services import close_position, live_position, place_order, refresh_trade, refusal_text
from apps.panic.halts import refusal
from apps.webhooks.models import Webhook
from apps.webhooks.services.events import notify
from apps.webhooks.services.receiving import classify
from apps.webhooks.signal import Signal

# Bail d'un webhook en traitement, renouvelé par le worker toutes les RENEW_SECONDS tant qu'il y travaille : un
# worker disparu (tué, machine arrêtée) le libère en quelques secondes (le client_order_id empêche un second ordre).
LEASE = timedelta(seconds=8)
RENEW_SECONDS = 2.0
# Ordre à l'issue incertaine : le webhook reste « reçu » et l'exchange est interrogé de nouveau après ce délai.
RECHECK = timedelta(seconds=3)
WAITING = "Issue de l'ordre {id} incertaine : vérification auprès de l'exchange en cours ({detail})."
PLACED = (Trade.Status.FILLED, *Trade.OPEN_STATUSES)


class Unresolved(Exception):
    """Le broker du signal n'existe pas pour cet utilisateur (message en français)."""


class Claim(NamedTuple):
    """Un webhook réservé par le worker."""

    pk: int
    user_id: int


@transaction.atomic
def claim_next(*, busy_users=()) -> Claim | None:
    """Réserve le plus ancien webhook à traiter hors des utilisateurs `busy_users` : (id, user_id) ou None."""
    now = timezone.now()
    older = Webhook.objects.filter(user_id=OuterRef("user_id"), status=Webhook.Status.RECEIVED, pk__lt=OuterRef("pk"))
    webhook = (
        Webhook.objects.select_for_update(skip_locked=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now), status=Webhook.Status.RECEIVED)
        .exclude(user_id__in=list(busy_users))
        .exclude(Exists(older))  # les webhooks d'un utilisateur passent dans l'ordre d'arrivée
        .order_by("pk")
        .only("pk", "user_id")
        .first()
    )
    if webhook is None:
        return None
    Webhook.objects.filter(pk=webhook.pk).update(claimed_until=now + LEASE)
    return Claim(webhook.pk, webhook.user_id)


def renew_claims(webhook_ids) -> None:
    """Le worker travaille encore sur ces webhooks : leur bail repart pour LEASE."""
    Webhook.objects.filter(
        pk__in=list(webhook_ids), status=Webhook.Status.RECEIVED, claimed_until__isnull=False
    ).update(claimed_until=timezone.now() + LEASE)


def release_claims() -> int:
    """Au démarrage du worker (un seul à la fois) : les réservations d'un worker arrêté en plein traitement
    sont levées, sans attendre la fin du bail ; retourne leur nombre."""
    claimed = Webhook.objects.filter(status=Webhook.Status.RECEIVED, claimed_until__isnull=False)
    return claimed.update(claimed_until=None)


def client_order_id(webhook: Webhook) -> str:
    return f"webhook-{webhook.pk}"


def resolve_broker(user, ref: int | str | None) -> Broker:
    """Le broker désigné par son id ou son nom, sinon le broker par défaut ; lève Unresolved."""
    brokers = Broker.objects.filter(user=user)
    if ref is None:
        broker = brokers.filter(pk=user.default_broker_id).first()
        if broker is None:
            raise Unresolved(
                'Aucun broker dans le signal et aucun broker par défaut : ajoutez "broker" '
                "ou choisissez un broker par défaut dans Mon compte."
            )
        return broker
    if isinstance(ref, int):
        matches = list(brokers.filter(pk=ref))
    else:
        matches = list(brokers.filter(name__iexact=ref)) or (list(brokers.filter(pk=int(ref))) if ref.isdigit() else [])
    if len(matches) > 1:
        raise Unresolved(f"Plusieurs brokers s'appellent « {ref} » : indiquez son id.")
    if not matches:
        raise Unresolved(f"Broker inconnu : « {ref} » (id ou nom d'un de vos brokers).")
    return matches[0]


def _finish(webhook: Webhook, status: str, *, error: str = "", trade=None) -> Webhook:
    webhook.status, webhook.error, webhook.trade = status, error, trade
    webhook.processed_at, webhook.claimed_until = timezone.now(), None
    webhook.save(update_fields=["status", "error", "trade", "processed_at", "claimed_until"])
    notify(webhook, wake=False)
    return webhook


def _wait_for_exchange(webhook: Webhook, trade: Trade, detail: str) -> Webhook:
    """Issue incertaine : le webhook reste « reçu » (un renvoi du même signal est un doublon) et sera repris."""
    webhook.trade, webhook.error = trade, WAITING.format(id=trade.client_order_id, detail=detail)
    webhook.claimed_until = timezone.now() + RECHECK
    webhook.save(update_fields=["trade", "error", "claimed_until"])
    notify(webhook, wake=False)
    return webhook


def _outcome(webhook: Webhook, trade: Trade) -> Webhook:
    if trade.status == Trade.Status.PENDING:
        try:
            trade = refresh_trade(trade.pk)  # retrouvé par son identifiant client, ou déclaré non passé
        except ExchangeError as error:
            return _wait_for_exchange(webhook, trade, error.message)
        if trade.status == Trade.Status.PENDING:
            return _wait_for_exchange(webhook, trade, trade.error or "pas encore de réponse")
    if trade.status in PLACED or trade.executed:
        return _finish(webhook, Webhook.Status.PROCESSED, trade=trade)
    error = trade.error or f"Ordre {trade.get_status_display()} par l'exchange."
    return _finish(webhook, Webhook.Status.FAILED, error=error, trade=trade)


def process_webhook(webhook_id: int) -> Webhook:
    """Passe l'ordre d'un webhook « reçu » et écrit le résultat : traité (avec son trade), échec (raison), ou
    encore « reçu » quand l'issue de l'ordre est incertaine (repris jusqu'à ce que l'exchange la dise).

    Un traitement interrompu (arrêt du worker) est repris de même : l'ordre déjà envoyé est retrouvé par son
    identifiant client, jamais passé deux fois."""
    webhook = classify(webhook_id)
    if webhook.status != Webhook.Status.RECEIVED:
        notify(webhook, wake=False)  # classé ici (invalide ou doublon) : la page l'apprend
        return webhook
    webhook = Webhook.objects.select_related("user").get(pk=webhook_id)
    signal = Signal.from_json(webhook.signal)
    try:
        broker = resolve_broker(webhook.user, signal.broker)
    except Unresolved as error:
        return _finish(webhook, Webhook.Status.FAILED, error=str(error))
    if signal.action == "close":
        return _close(webhook, broker, signal)
    halted = refusal(user_id=webhook.user_id, broker_id=broker.pk) if signal.side == Trade.Side.BUY else ""
    if halted:  # « Tout couper » : les entrées restent arrêtées jusqu'à « Reprendre les entrées »
        return _finish(webhook, Webhook.Status.FAILED, error=halted)
    # La paire (« BTCUSDT » ou « BTC/USDT ») est reconnue par le service d'ordres, sur les marchés du broker.
    trade = place_order(
        OrderRequest(
            user=webhook.user,
            broker_id=broker.pk,
            symbol=signal.symbol,
            side=signal.side,
            order_type=signal.order_type,
            quantity=signal.quantity,
            amount=signal.amount,
            percent=signal.percent,
            price=signal.price,
            stop_loss=signal.stop_loss,
            take_profit=signal.take_profit,
            source="webhook",
            book=books.webhook(signal.comment),
            client_order_id=client_order_id(webhook),
            webhook_id=webhook.pk,
        )
    )
    return _outcome(webhook, trade)


def _close(webhook: Webhook, broker: Broker, signal: Signal) -> Webhook:
    """close : vend la quantité de la position ouverte de la source du signal (son livre : `comment`), sa protection
    retirée d'abord, jamais d'autres pièces ni la position d'un autre livre ;
    `percent` < 100 ou `quantity` n'en vendent qu'une part. Sans position ouverte : ignoré."""
    sent = Trade.objects.filter(user=webhook.user, client_order_id=client_order_id(webhook)).first()
    if sent is not None:  # traitement repris : la vente est déjà partie
        return _outcome(webhook, sent)
    if signal.amount is not None:
        return _finish(
            webhook,
            Webhook.Status.FAILED,
            error="« amount » ne sert pas à close : la position se vend en quantité (quantity ou percent).",
        )
    try:
        symbol = ccxt_manager.sync.market(broker, signal.symbol).symbol
    except (ValidationError, ExchangeError) as error:
        return _finish(webhook, Webhook.Status.FAILED, error=refusal_text(error))
    book = books.webhook(signal.comment)
    position = live_position(user_id=webhook.user_id, broker_id=broker.pk, symbol=symbol, book=book)
    if position is None or position.status != Position.Status.OPEN:
        return _finish(
            webhook,
            Webhook.Status.IGNORED,
            error=f"Ignoré : aucune position ouverte sur {symbol} ({broker.name}), rien à clôturer.",
        )
    share = signal.quantity if signal.quantity is not None else position.quantity * signal.percent / 100
    try:
        if share < position.quantity:
            trade = place_order(
                OrderRequest(
                    user=webhook.user,
                    broker_id=broker.pk,
                    symbol=symbol,
                    side=Trade.Side.SELL,
                    order_type=Trade.Type.MARKET,
                    quantity=share,
                    source="webhook",
                    book=book,
                    client_order_id=client_order_id(webhook),
                    webhook_id=webhook.pk,
                )
            )
        else:
            _, trade = close_position(
                position,
                reason=Position.ExitReason.WEBHOOK,
                source="webhook",
                client_order_id=client_order_id(webhook),
                webhook_id=webhook.pk,
            )
    except (ValidationError, ExchangeError) as error:
        return _finish(webhook, Webhook.Status.FAILED, error=refusal_text(error))
    return _outcome(webhook, trade)


def fail_webhook(webhook_id: int, error: str) -> None:
    """Échec inattendu du traitement : le webhook passe en échec avec la raison (pas de nouvel essai)."""
    _finish(Webhook.objects.get(pk=webhook_id), Webhook.Status.FAILED, error=error)
