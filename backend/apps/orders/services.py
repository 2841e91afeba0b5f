"""Le service d'ordres : la seule porte qui passe, annule et suit les ordres (manuel, webhooks, moteur, bot).

Chaque tentative devient un Trade, échecs compris. Fonctions synchrones (vues, commandes) ; un appelant
asynchrone passe par sync_to_async (jamais depuis la boucle de la porte des exchanges).
"""

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.brokers.models import Broker
from apps.brokers.services import ensure_orders_allowed
from apps.core.channels import ORDER, client_event, publish_sync, user_group
from apps.core.exceptions import (
    Conflict,
    ExchangeError,
    ExchangeUnavailable,
    NetworkFailure,
    NotFound,
    OrderNotFound,
    OutcomeUnknown,
)
from apps.core.scoping import owned, sees_everyone
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders import books, checks
from apps.orders.models import Trade
from apps.orders.results import apply_fills, apply_order
from apps.orders.serializers import TradeSerializer

logger = logging.getLogger("aristobot.orders")

# Réponse perdue ou ambiguë (délai, réseau, 5xx, Binance -1006/-1000/-1001) : l'ordre a pu partir ; seul
# l'exchange le dira (refresh_order, par identifiant client).
UNCERTAIN = (NetworkFailure, ExchangeUnavailable, OutcomeUnknown)
UNKNOWN_OUTCOME = "Issue inconnue, l'ordre a peut-être été passé ({error}) : actualisez pour le savoir."


def _owned_broker(user, broker_id, known: Broker | None = None) -> Broker:
    """Le broker `broker_id` de `user` ; `known` : déjà chargé par l'appelant, gardé s'il est bien celui-là."""
    if known is not None and str(known.pk) == str(broker_id) and (known.user_id == user.pk or sees_everyone(user)):
        return known
    try:
        broker = owned(Broker.objects.select_related("user"), user).filter(pk=int(broker_id)).first()
    except (TypeError, ValueError, OverflowError):
        broker = None
    if broker is None:
        raise NotFound(f"Broker inconnu : {broker_id}.")
    return broker


def _owned_trade_id(user, trade_id) -> int:
    try:
        found = owned(Trade.objects, user).filter(pk=int(trade_id)).values_list("pk", flat=True).first()
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise NotFound(f"Ordre inconnu : {trade_id}.")
    return found


def _locked(trade_id: int) -> Trade:
    """Le Trade verrouillé jusqu'à la fin de la transaction : actualiser et annuler ne s'écrasent pas."""
    return Trade.objects.select_for_update(of=("self",)).select_related("broker", "user").get(pk=trade_id)


def _announce(trade: Trade) -> None:
    """Pousse le Trade dans le groupe privé de son utilisateur ; un Redis absent ne défait pas l'ordre."""
    try:
        publish_sync(user_group(trade.user_id), client_event(ORDER, dict(TradeSerializer(trade).data)))
    except Exception:  # l'ordre est passé et enregistré : la notification seule est perdue
        logger.warning("Ordre %s non publié sur le WebSocket", trade.pk, exc_info=True)


def _announce_on_commit(trade: Trade) -> None:
    transaction.on_commit(lambda: _announce(trade))


def request_fingerprint(**request) -> str:
    """Empreinte de la demande telle que reçue : le même identifiant client avec une autre demande est un conflit."""
    canonical = json.dumps(
        {key: None if value is None else str(value) for key, value in request.items()}, sort_keys=True
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _claim(trade: Trade) -> Trade:
    """Enregistre la tentative ; si son identifiant client existe déjà (requête rejouée), retourne ce Trade-là.

    Le même identifiant avec une autre demande lève Conflict (409).
    """
    try:
        if connection.in_atomic_block:
            with transaction.atomic():  # point de sauvegarde : le doublon ne rompt pas la transaction de l'appelant
                trade.save()
        else:
            trade.save()  # hors transaction, un INSERT refusé ne rompt rien : pas de BEGIN / COMMIT en plus
        return trade
    except IntegrityError:
        existing = Trade.objects.select_related("broker").get(
            user_id=trade.user_id, client_order_id=trade.client_order_id
        )
    if existing.request_fingerprint and existing.request_fingerprint != trade.request_fingerprint:
        raise Conflict(
            f"L'identifiant d'ordre « {trade.client_order_id} » a déjà servi pour un autre ordre "
            f"({existing.side} {existing.symbol}, n° {existing.pk}) : choisissez-en un autre."
        )
    return existing


def _finish(trade: Trade, status: str, error: str = "", after_send=None) -> Trade:
    """Issue enregistrée, puis `after_send` (place_order), puis publiée."""
    trade.status, trade.error = status, error
    trade.save()
    if after_send is not None:
        after_send(trade)
    _announce_on_commit(trade)
    return trade


def record(trade: Trade, status: str, error: str = "") -> Trade:
    """Issue d'un envoi fait hors de place_order (jambes de protection) : statut, erreur, publication."""
    return _finish(trade, status, error)


def _follow(trade: Trade) -> None:
    """La position de la paire suit le Trade (ouverte, augmentée, réduite, clôturée, protégée)."""
    from apps.orders.positions import track

    if trade.pk is not None:
        track(trade.pk)
        trade.position_id = Trade.objects.filter(pk=trade.pk).values_list("position_id", flat=True).first()


def _free(broker: Broker, currency: str) -> Decimal:
    balance = ccxt_manager.sync.balances(broker).get(currency)
    if balance is None or balance.free <= 0:
        raise ValidationError(f"Aucun {currency} disponible sur {broker.name}.")
    return balance.free


def _spend(trade: Trade, values: dict, market, free: Decimal | None) -> Decimal | None:
    """Achat au marché demandé en montant (ou en pourcentage du solde de cotation) : la somme envoyée telle quelle à
    l'exchange, qui n'en dépense jamais plus, quel que soit le prix d'exécution (glissement depuis le prix de
    référence) ; None pour un ordre en quantité, une vente ou un ordre limite."""
    if trade.type != Trade.Type.MARKET or trade.side != Trade.Side.BUY or values["quantity"] is not None:
        return None
    if values["amount"] is not None:
        return values["amount"]
    return free * values["percent"] / 100 / (1 + (market.taker or 0))


def _prepare(trade: Trade, values: dict, reference_price: Decimal | None) -> Decimal | None:
    """Paire, prix de référence, quantité arrondie et limites ; fixe symbol, quantity (estimée au prix de référence
    pour un achat au montant) et price du Trade. Retourne le montant d'un achat au marché au montant (`_spend`)."""
    broker = trade.broker
    market = ccxt_manager.sync.market(broker, trade.symbol)
    trade.symbol = market.symbol
    reference = values["price"] or reference_price or ccxt_manager.sync.last_price(broker, trade.symbol)
    if not reference:
        raise ValidationError(f"Aucun dernier prix connu pour {trade.symbol} sur {broker.name}.")
    free = None
    if values["percent"] is not None:
        free = _free(broker, market.quote if trade.side == Trade.Side.BUY else market.base)
    requested = checks.base_quantity(
        side=trade.side,
        market=market,
        reference=reference,
        free=free,
        **{k: values[k] for k in ("quantity", "amount", "percent")},
    )
    quantity, price = ccxt_manager.sync.to_precision(broker, trade.symbol, requested, values["price"], trade.side)
    reference = price or reference
    checks.check_limits(market=market, quantity=quantity, requested=requested, reference=reference)
    checks.check_protection(
        side=trade.side, reference=reference, stop_loss=values["stop_loss"], take_profit=values["take_profit"]
    )
    trade.quantity, trade.price = quantity, price
    return _spend(trade, values, market, free)


def _read_fills(trade: Trade, filled_before: Decimal) -> None:
    """Frais et prix réels lus dans les exécutions de l'ordre, chaque fois que la quantité exécutée a changé
    (ou quand la réponse n'en disait rien)."""
    if trade.filled_quantity <= 0 or not trade.exchange_order_id:
        return
    if trade.fees and trade.filled_quantity == filled_before:
        return
    try:
        apply_fills(
            trade,
            ccxt_manager.sync.order_fills(
                trade.broker, symbol=trade.symbol, order_id=trade.exchange_order_id, since=trade.created_at
            ),
        )
    except ExchangeError as error:
        logger.info("Exécutions de l'ordre %s non lues : %s", trade.pk, error)


def _send(trade: Trade, user, values: dict, reference_price: Decimal | None, after_send) -> Trade:
    try:
        ensure_orders_allowed(user=user, broker=trade.broker)
        spend = _prepare(trade, values, reference_price)
    except ValidationError as refusal:
        return _finish(trade, Trade.Status.REJECTED, " ".join(refusal.messages), after_send=after_send)
    except ExchangeError as error:
        return _finish(trade, Trade.Status.FAILED, error.message, after_send=after_send)
    trade.save(update_fields=["symbol", "quantity", "price", "updated_at"])  # enregistré avant l'envoi
    try:
        if spend is not None:
            order = ccxt_manager.sync.create_market_buy_with_cost(
                trade.broker, symbol=trade.symbol, cost=spend, client_order_id=trade.client_order_id
            )
        else:
            order = ccxt_manager.sync.create_order(
                trade.broker,
                symbol=trade.symbol,
                type=trade.type,
                side=trade.side,
                amount=trade.quantity,
                price=trade.price,
                client_order_id=trade.client_order_id,
            )
    except UNCERTAIN as error:
        return _finish(trade, Trade.Status.PENDING, UNKNOWN_OUTCOME.format(error=error.message), after_send=after_send)
    except ExchangeError as error:
        return _finish(trade, Trade.Status.FAILED, error.message, after_send=after_send)
    apply_order(trade, order)
    _read_fills(trade, trade.filled_quantity if order.fees else Decimal(0))  # réponse avec ses exécutions : lue
    return _finish(trade, trade.status, trade.error, after_send=after_send)


def place_order(
    *,
    user,
    broker_id: int,
    symbol: str,
    side: str,
    order_type: str,
    quantity: Decimal | None = None,
    amount: Decimal | None = None,
    percent: Decimal | None = None,
    price: Decimal | None = None,
    stop_loss: Decimal | None = None,
    take_profit: Decimal | None = None,
    source: str,
    client_order_id: str | None = None,
    webhook_id: int | None = None,
    active_strategy_id: int | None = None,
    book: str | None = None,
    reference_price: Decimal | None = None,
    after_send: Callable[[Trade], None] | None = None,
    broker: Broker | None = None,
) -> Trade:
    """Passe un ordre et retourne son Trade (statut filled, partially_filled, open, pending, rejected ou failed).

    Une seule taille : `quantity` (base), `amount` (cotation) ou `percent` (du solde libre : cotation à
    l'achat, base à la vente). Un achat au marché en `amount` ou `percent` part au montant (Binance :
    quoteOrderQty) : l'exchange ne dépense jamais plus que ce montant, quel que soit le prix d'exécution.
    Lève NotFound si le broker n'est pas à `user` ; tout autre échec est un Trade `rejected` (refusé avant
    envoi) ou `failed` (refusé par l'exchange, erreur) avec `error` en français ; `pending` quand la réponse de
    l'exchange est perdue ou ambiguë (à résoudre par refresh_order).
    L'identifiant client est préfixé par l'origine (« webhook-… ») ; le même une seconde fois retourne le Trade
    existant, sans nouvel ordre, ou lève Conflict si la demande diffère.
    Pas de transaction englobante : la tentative est enregistrée avant l'appel à l'exchange.
    Un achat exécuté ouvre ou augmente la position de la paire (protégée par `stop_loss` / `take_profit`),
    une vente la réduit (apps.orders.positions) ; `webhook_id` / `active_strategy_id` disent d'où elle vient.
    `book` : le livre de la position suivie (apps.orders.books) ; par défaut celui de l'origine (activation, sinon
    trading manuel ; un webhook donne le sien, nommé par sa source).
    `reference_price` : le dernier prix que l'appelant connaît déjà (le moteur : la clôture de la bougie décidée),
    pour convertir un montant et vérifier les limites sans demander le ticker (un aller-retour de plus avant
    l'ordre). `after_send(trade)` : appelé dès l'issue de l'envoi enregistrée, avant sa publication et le suivi de la
    position.
    `broker` : le broker déjà chargé par l'appelant (une requête de moins), vérifié comme `broker_id`.
    """
    broker = _owned_broker(user, broker_id, broker)
    source = str(source)[:16]
    wanted = checks.new_client_order_id(source) if client_order_id is None else client_order_id
    trade = Trade(
        user_id=broker.user_id,
        broker=broker,
        source=source,
        symbol=str(symbol)[:64],
        side=str(side)[:8],
        type=str(order_type)[:20],
        webhook_id=webhook_id,
        active_strategy_id=active_strategy_id,
        book=(book or books.of_order(source=source, active_strategy_id=active_strategy_id))[: books.MAX_LENGTH],
        request_fingerprint=request_fingerprint(
            broker=broker.pk,
            symbol=symbol,
            side=side,
            order_type=order_type,
            quantity=quantity,
            amount=amount,
            percent=percent,
            price=price,
            stop_loss=stop_loss,
            take_profit=take_profit,
        ),
    )
    values, refusal = None, ""
    if not isinstance(wanted, str) or not checks.valid_client_order_id(
        checks.namespaced_client_order_id(source, wanted)
    ):
        refusal = "Identifiant client invalide : 1 à 36 caractères parmi lettres, chiffres et . _ : / -."
    else:
        trade.client_order_id = checks.namespaced_client_order_id(source, wanted)
        try:
            values = checks.parse_request(
                source=source,
                side=side,
                order_type=order_type,
                quantity=quantity,
                amount=amount,
                percent=percent,
                price=price,
                stop_loss=stop_loss,
                take_profit=take_profit,
            )
        except ValidationError as error:
            refusal = " ".join(error.messages)
    if values is not None:
        for field, value in values.items():
            setattr(trade, field, value)
    trade.status, trade.error = (Trade.Status.REJECTED, refusal) if refusal else (Trade.Status.PENDING, "")
    claimed = _claim(trade)
    if claimed is not trade:
        return claimed
    if refusal:
        _announce(trade)
        return trade
    if trade.side == Trade.Side.SELL:
        from apps.orders.positions import before_sell

        before_sell(user_id=trade.user_id, broker_id=broker.pk, symbol=trade.symbol, book=trade.book)
    trade = _send(trade, user, values, reference_price, after_send)
    _follow(trade)
    return trade


def _resolve_lost(trade: Trade) -> Trade:
    """Tentative sans réponse : retrouvée chez l'exchange par son identifiant client, ou déclarée non passée."""
    try:
        order = ccxt_manager.sync.fetch_order(trade.broker, symbol=trade.symbol, client_order_id=trade.client_order_id)
    except OrderNotFound:
        if timezone.now() - trade.updated_at < timedelta(milliseconds=2 * settings.CCXT_TIMEOUT_MS):
            return trade  # peut-être encore en route
        return _finish(trade, Trade.Status.FAILED, f"L'ordre n'a pas atteint {trade.broker.name}.")
    trade.error = ""
    apply_order(trade, order)
    _read_fills(trade, Decimal(0))
    return _finish(trade, trade.status, trade.error)


def _refresh_locked(trade: Trade) -> Trade:
    if trade.status == Trade.Status.PENDING and not trade.exchange_order_id and trade.client_order_id:
        return _resolve_lost(trade)
    if not trade.exchange_order_id or not trade.is_open:
        return trade
    before = (trade.status, trade.filled_quantity)
    apply_order(
        trade, ccxt_manager.sync.fetch_order(trade.broker, symbol=trade.symbol, order_id=trade.exchange_order_id)
    )
    _read_fills(trade, before[1])
    trade.save()
    if (trade.status, trade.filled_quantity) != before:
        _announce_on_commit(trade)
    return trade


def refresh_trade(trade_id: int, *, follow: bool = True) -> Trade:
    """Relit l'ordre chez l'exchange (statut, exécutions, frais), sous verrou ; lève ExchangeError.

    Une tentative `pending` sans identifiant d'exchange (réponse perdue, processus interrompu) est
    recherchée par son identifiant client : retrouvée, elle prend l'état de l'exchange ; absente, elle
    passe en `failed`. Pour les processus de fond (worker, moteur) qui ne parlent pas au nom d'un utilisateur.
    `follow` : la position de la paire suit (False pour la protection elle-même, qui tient déjà le verrou).
    """
    with transaction.atomic():
        trade = _refresh_locked(_locked(trade_id))
    if follow:
        _follow(trade)
    return trade


def refresh_order(*, user, trade_id: int) -> Trade:
    """refresh_trade d'un ordre de `user` ; lève NotFound ou ExchangeError."""
    return refresh_trade(_owned_trade_id(user, trade_id))


def refresh_open_orders(*, user, broker_id: int) -> list[Trade]:
    """Les ordres ouverts du broker, relus chez l'exchange (un ordre exécuté entre-temps sort de la liste).

    Un ordre illisible reste dans la liste avec son erreur (`refresh_error`), les autres sont relus.
    """
    broker = _owned_broker(user, broker_id)
    trades = owned(Trade.objects, user).filter(broker=broker, status__in=(*Trade.OPEN_STATUSES, Trade.Status.PENDING))
    listed = []
    for trade_id in trades.values_list("pk", flat=True):
        try:
            trade = refresh_trade(trade_id)
        except ExchangeError as error:
            trade = Trade.objects.select_related("broker").get(pk=trade_id)
            trade.refresh_error = error.message
        if trade.is_open:
            listed.append(trade)
    return listed


def cancel_order(*, user, trade_id: int) -> Trade:
    """Annule un ordre ouvert ; retourne le Trade à jour (cancelled, ou filled s'il s'est exécuté avant).

    Lève NotFound (ordre d'un autre), ValidationError (ordre plus ouvert) ou ExchangeError.
    """
    return cancel_trade(_owned_trade_id(user, trade_id))


def cancel_trade(trade_id: int, *, follow: bool = True) -> Trade:
    """cancel_order sans contrôle de propriétaire (processus de fond, protection) ; `follow` comme refresh_trade."""
    with transaction.atomic():
        trade = _locked(trade_id)
        if not trade.is_open:
            raise ValidationError(
                f"Cet ordre n'est pas ouvert (statut : {trade.get_status_display()}) : rien à annuler."
            )
        try:
            order = ccxt_manager.sync.cancel_order(trade.broker, symbol=trade.symbol, order_id=trade.exchange_order_id)
        except OrderNotFound:
            trade = _refresh_locked(trade)  # exécuté ou annulé entre-temps
        else:
            filled_before = trade.filled_quantity
            apply_order(trade, order)
            if trade.status in Trade.OPEN_STATUSES:
                trade.status = Trade.Status.CANCELLED  # réponse sans statut : l'annulation a été acceptée
            _read_fills(trade, filled_before)
            trade = _finish(trade, trade.status, trade.error)
    if follow:
        _follow(trade)
    return trade
