"""La passerelle d'ordres : envoie, relit, annule et enregistre les ordres, rien d'autre (elle ignore les positions).

Chaque tentative devient un Trade, échecs compris, publié à son utilisateur. Seul le gestionnaire des positions
l'appelle (apps.orders.services, apps.orders.positions, apps.orders.protection) : les autres apps passent par lui.
Fonctions synchrones ; un appelant asynchrone passe par sync_to_async (jamais depuis la boucle de la porte).
"""

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
from apps.core.entry_gate import check_entry
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
from apps.orders.request import NUMBERS, OrderRequest
from apps.orders.results import apply_fills, apply_order
from apps.orders.serializers import TradeSerializer

logger = logging.getLogger("aristobot.orders")

# Réponse perdue ou ambiguë (délai, réseau, 5xx, Binance -1006/-1000/-1001) : l'ordre a pu partir ; seul
# l'exchange le dira (refresh_order, par identifiant client).
UNCERTAIN = (NetworkFailure, ExchangeUnavailable, OutcomeUnknown)
UNKNOWN_OUTCOME = "Issue inconnue, l'ordre a peut-être été passé ({error}) : actualisez pour le savoir."
# Appelé dès l'issue d'un envoi enregistrée, avant sa publication : le moteur envoie les ordres d'une vague d'abord
# (apps.trading_engine.sends), leurs publications et leur suivi ensuite.
AfterSend = Callable[[Trade], None]


def owned_broker(user, broker_id, known: Broker | None = None) -> Broker:
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


def owned_trade_id(user, trade_id) -> int:
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


def record(trade: Trade, status: str, error: str = "", after_send: AfterSend | None = None) -> Trade:
    """Issue d'un envoi enregistrée (statut, erreur), puis `after_send(trade)`, puis publiée à la validation de la
    transaction."""
    trade.status, trade.error = status, error
    trade.save()
    if after_send is not None:
        after_send(trade)
    _announce_on_commit(trade)
    return trade


def sellable_amount(broker: Broker, symbol: str, quantity: Decimal, price: Decimal | None = None) -> Decimal:
    """`quantity` arrondie au pas du marché ; 0 sous son minimum de quantité, ou, à `price`, sous son minimum de
    montant (invendable : un reliquat)."""
    if quantity <= 0:
        return Decimal(0)
    amount, _ = ccxt_manager.sync.to_precision(broker, symbol, quantity)
    market = ccxt_manager.sync.market(broker, symbol)
    if market.min_amount and amount < market.min_amount:
        return Decimal(0)
    return Decimal(0) if price and market.min_cost and amount * price < market.min_cost else amount


def _free(broker: Broker, currency: str) -> Decimal:
    balance = ccxt_manager.sync.balances(broker).get(currency)
    if balance is None or balance.free <= 0:
        raise ValidationError(f"Aucun {currency} disponible sur {broker.name}.")
    return balance.free


def _spend(trade: Trade, request: OrderRequest, market, free: Decimal | None) -> Decimal | None:
    """Achat au marché demandé en montant (ou en pourcentage du solde de cotation) : la somme envoyée telle quelle à
    l'exchange, qui n'en dépense jamais plus, quel que soit le prix d'exécution (glissement depuis le prix de
    référence) ; None pour un ordre en quantité, une vente ou un ordre limite."""
    if trade.type != Trade.Type.MARKET or trade.side != Trade.Side.BUY or request.quantity is not None:
        return None
    if request.amount is not None:
        return request.amount
    return free * request.percent / 100 / (1 + (market.taker or 0))


def _prepare(trade: Trade, request: OrderRequest) -> Decimal | None:
    """Paire, prix de référence, quantité arrondie et limites de la demande vérifiée ; fixe symbol, quantity (estimée
    au prix de référence pour un achat au montant) et price du Trade. Retourne le montant d'un achat au marché au
    montant (`_spend`)."""
    broker = trade.broker
    market = ccxt_manager.sync.market(broker, trade.symbol)
    trade.symbol = market.symbol
    reference = request.price or request.reference_price or ccxt_manager.sync.last_price(broker, trade.symbol)
    if not reference:
        raise ValidationError(f"Aucun dernier prix connu pour {trade.symbol} sur {broker.name}.")
    free = None
    if request.percent is not None:
        free = _free(broker, market.quote if trade.side == Trade.Side.BUY else market.base)
    requested = checks.base_quantity(
        side=trade.side,
        market=market,
        reference=reference,
        free=free,
        quantity=request.quantity,
        amount=request.amount,
        percent=request.percent,
    )
    quantity, price = ccxt_manager.sync.to_precision(broker, trade.symbol, requested, request.price, trade.side)
    reference = price or reference
    checks.check_limits(market=market, quantity=quantity, requested=requested, reference=reference)
    checks.check_protection(
        side=trade.side, reference=reference, stop_loss=request.stop_loss, take_profit=request.take_profit
    )
    trade.quantity, trade.price = quantity, price
    return _spend(trade, request, market, free)


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


def _send(trade: Trade, request: OrderRequest, after_send: AfterSend | None) -> Trade:
    try:
        ensure_orders_allowed(user=request.user, broker=trade.broker)
        spend = _prepare(trade, request)
        if trade.side == Trade.Side.BUY:  # seul un achat ouvre ou augmente une position : limites de risque
            check_entry(trade)
    except ValidationError as refusal:
        return record(trade, Trade.Status.REJECTED, " ".join(refusal.messages), after_send)
    except ExchangeError as error:
        return record(trade, Trade.Status.FAILED, error.message, after_send)
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
        return record(trade, Trade.Status.PENDING, UNKNOWN_OUTCOME.format(error=error.message), after_send)
    except ExchangeError as error:
        return record(trade, Trade.Status.FAILED, error.message, after_send)
    apply_order(trade, order)
    _read_fills(trade, trade.filled_quantity if order.fees else Decimal(0))  # réponse avec ses exécutions : lue
    return record(trade, trade.status, trade.error, after_send)


def send_order(request: OrderRequest, *, after_send: AfterSend | None = None) -> Trade:
    """Envoie l'ordre demandé et retourne son Trade (statut filled, partially_filled, open, pending, rejected ou
    failed), sans toucher aux positions : apps.orders.services.place_order (le gestionnaire) le fait suivre.

    Un achat au marché en `amount` ou `percent` part au montant (Binance : quoteOrderQty) : l'exchange ne dépense
    jamais plus que ce montant, quel que soit le prix d'exécution.
    Lève NotFound si le broker n'est pas à l'utilisateur de la demande ; tout autre échec est un Trade `rejected`
    (refusé avant envoi) ou `failed` (refusé par l'exchange, erreur) avec `error` en français ; `pending` quand la
    réponse de l'exchange est perdue ou ambiguë (à résoudre par refresh_order).
    L'identifiant client est préfixé par l'origine (« webhook-… ») ; le même une seconde fois retourne le Trade
    existant, sans nouvel ordre, ou lève Conflict si la demande diffère.
    Pas de transaction englobante : la tentative est enregistrée avant l'appel à l'exchange.
    `after_send(trade)` : appelé une fois l'issue enregistrée (sauf Trade rejoué), avant sa publication.
    """
    broker = owned_broker(request.user, request.broker_id, request.broker)
    source = request.source
    trade = Trade(
        user_id=broker.user_id,
        broker=broker,
        source=source,
        symbol=str(request.symbol)[:64],
        side=str(request.side)[:8],
        type=str(request.order_type)[:20],
        webhook_id=request.webhook_id,
        active_strategy_id=request.active_strategy_id,
        book=(request.book or books.of_order(source=source, active_strategy_id=request.active_strategy_id))[
            : books.MAX_LENGTH
        ],
        request_fingerprint=request.fingerprint(broker.pk),
    )
    checked, refusal = None, ""
    client_id = request.client_id()
    if client_id is None:
        refusal = "Identifiant client invalide : 1 à 36 caractères parmi lettres, chiffres et . _ : / -."
    else:
        trade.client_order_id = client_id
        try:
            checked = request.checked()
        except ValidationError as error:
            refusal = " ".join(error.messages)
    if checked is not None:
        for name in NUMBERS:
            setattr(trade, name, getattr(checked, name))
    trade.status, trade.error = (Trade.Status.REJECTED, refusal) if refusal else (Trade.Status.PENDING, "")
    claimed = _claim(trade)
    if claimed is not trade:
        return claimed
    if refusal:
        if after_send is not None:
            after_send(trade)
        _announce(trade)
        return trade
    return _send(trade, checked, after_send)


def _resolve_lost(trade: Trade) -> Trade:
    """Tentative sans réponse : retrouvée chez l'exchange par son identifiant client, ou déclarée non passée."""
    try:
        order = ccxt_manager.sync.fetch_order(trade.broker, symbol=trade.symbol, client_order_id=trade.client_order_id)
    except OrderNotFound:
        if timezone.now() - trade.updated_at < timedelta(milliseconds=2 * settings.CCXT_TIMEOUT_MS):
            return trade  # peut-être encore en route
        return record(trade, Trade.Status.FAILED, f"L'ordre n'a pas atteint {trade.broker.name}.")
    trade.error = ""
    apply_order(trade, order)
    _read_fills(trade, Decimal(0))
    return record(trade, trade.status, trade.error)


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


def refresh_trade(trade_id: int) -> Trade:
    """Relit l'ordre chez l'exchange (statut, exécutions, frais), sous verrou ; lève ExchangeError.

    Une tentative `pending` sans identifiant d'exchange (réponse perdue, processus interrompu) est
    recherchée par son identifiant client : retrouvée, elle prend l'état de l'exchange ; absente, elle
    passe en `failed`. Pour les processus de fond (worker, moteur) qui ne parlent pas au nom d'un utilisateur.
    """
    with transaction.atomic():
        return _refresh_locked(_locked(trade_id))


def cancel_trade(trade_id: int) -> Trade:
    """Annule un ordre ouvert ; retourne le Trade à jour (cancelled, ou filled s'il s'est exécuté avant).

    Lève ValidationError (ordre plus ouvert) ou ExchangeError. Sans contrôle de propriétaire."""
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
            trade = record(trade, trade.status, trade.error)
    return trade
