"""Le service d'ordres : la seule porte qui passe, annule et suit les ordres (manuel, webhooks, moteur, bot).

Chaque tentative devient un Trade, échecs compris. Fonctions synchrones (vues, commandes) ; un appelant
asynchrone passe par sync_to_async (jamais depuis la boucle de la porte des exchanges).
"""
import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.scoping import owned
from apps.brokers.models import Broker
from apps.brokers.services import ensure_orders_allowed
from apps.core.channels import ORDER, client_event, publish_sync, user_group
from apps.core.exceptions import ExchangeError, ExchangeUnavailable, NetworkFailure, NotFound, OrderNotFound
from apps.orders.models import Trade
from apps.orders.serializers import TradeSerializer
from apps.orders import checks
from apps.core.services.ccxt_manager import ccxt_manager, to_decimal
from apps.orders.results import apply_fills, apply_order

logger = logging.getLogger("aristobot.orders")

# Réponse perdue (délai, réseau, erreur 5xx) : l'ordre a pu partir ; seul l'exchange le dira (refresh_order).
UNCERTAIN = (NetworkFailure, ExchangeUnavailable)
UNKNOWN_OUTCOME = "Issue inconnue, l'ordre a peut-être été passé ({error}) : actualisez pour le savoir."


def _door(broker: Broker, method: str, *args):
    return ccxt_manager.run(ccxt_manager.call(broker, method, *args))


def _owned_broker(user, broker_id) -> Broker:
    try:
        broker = owned(Broker.objects.select_related("user"), user).filter(pk=int(broker_id)).first()
    except (TypeError, ValueError):
        broker = None
    if broker is None:
        raise NotFound(f"Broker inconnu : {broker_id}.")
    return broker


def _owned_trade(user, trade_id) -> Trade:
    try:
        trade = owned(Trade.objects.select_related("broker", "user"), user).filter(pk=int(trade_id)).first()
    except (TypeError, ValueError):
        trade = None
    if trade is None:
        raise NotFound(f"Ordre inconnu : {trade_id}.")
    return trade


def _announce(trade: Trade) -> None:
    """Pousse le Trade dans le groupe privé de son utilisateur ; un Redis absent ne défait pas l'ordre."""
    try:
        publish_sync(user_group(trade.user_id), client_event(ORDER, dict(TradeSerializer(trade).data)))
    except Exception:  # l'ordre est passé et enregistré : la notification seule est perdue
        logger.warning("Ordre %s non publié sur le WebSocket", trade.pk, exc_info=True)


def _claim(trade: Trade) -> Trade:
    """Enregistre la tentative ; si son identifiant client existe déjà (requête rejouée), retourne ce Trade-là."""
    try:
        with transaction.atomic():
            trade.save()
        return trade
    except IntegrityError:
        return Trade.objects.select_related("broker").get(user=trade.user, client_order_id=trade.client_order_id)


def _finish(trade: Trade, status: str, error: str = "") -> Trade:
    trade.status, trade.error = status, error
    trade.save()
    _announce(trade)
    return trade


def _market(broker: Broker, symbol: str) -> dict:
    """Le marché CCXT de `symbol` (« BTC/USDT » ou l'identifiant de l'exchange, « BTCUSDT »)."""
    markets = ccxt_manager.run(ccxt_manager.markets(broker))
    wanted = symbol.strip().upper()
    market = markets.get(wanted) or next(
        (m for m in markets.values() if str(m.get("id", "")).upper() == wanted), None)
    if market is None:
        raise ValidationError(f"Paire inconnue sur {broker.name} : {symbol}.")
    if market.get("active") is False:
        raise ValidationError(f"Paire {market['symbol']} inactive sur {broker.name} : ordre refusé.")
    return market


def _last_price(broker: Broker, symbol: str) -> Decimal:
    ticker = _door(broker, "fetch_ticker", symbol)
    last = to_decimal(ticker.get("last") or ticker.get("close"))
    if not last:
        raise ValidationError(f"Aucun dernier prix connu pour {symbol} sur {broker.name}.")
    return last


def _free(broker: Broker, currency: str) -> Decimal:
    free = to_decimal((_door(broker, "fetch_balance").get("free") or {}).get(currency)) or Decimal(0)
    if free <= 0:
        raise ValidationError(f"Aucun {currency} disponible sur {broker.name}.")
    return free


def _prepare(trade: Trade, values: dict) -> None:
    """Paire, prix de référence, quantité arrondie et limites ; fixe symbol, quantity et price du Trade."""
    broker = trade.broker
    market = _market(broker, trade.symbol)
    trade.symbol = market["symbol"]
    reference = values["price"] or _last_price(broker, trade.symbol)
    free = None
    if values["percent"] is not None:
        free = _free(broker, market["quote"] if trade.side == Trade.Side.BUY else market["base"])
    requested = checks.base_quantity(side=trade.side, market=market, reference=reference, free=free,
                                     **{k: values[k] for k in ("quantity", "amount", "percent")})
    quantity, price = ccxt_manager.run(ccxt_manager.to_precision(broker, trade.symbol, requested, values["price"]))
    reference = price or reference
    checks.check_limits(market=market, quantity=quantity, requested=requested, reference=reference)
    checks.check_protection(side=trade.side, reference=reference, stop_loss=values["stop_loss"],
                            take_profit=values["take_profit"])
    trade.quantity, trade.price = quantity, price


def _complete_fills(trade: Trade) -> None:
    """Frais absents de la réponse (fetch_order de Binance) : les lire dans les exécutions de l'ordre."""
    if trade.filled_quantity <= 0 or trade.fee is not None:
        return
    try:
        apply_fills(trade, _door(trade.broker, "fetch_my_trades", trade.symbol))
    except ExchangeError as error:
        logger.info("Exécutions de l'ordre %s non lues : %s", trade.pk, error)


def _send(trade: Trade, user, values: dict) -> Trade:
    try:
        ensure_orders_allowed(user=user, broker=trade.broker)
        _prepare(trade, values)
    except ValidationError as refusal:
        return _finish(trade, Trade.Status.REJECTED, " ".join(refusal.messages))
    except ExchangeError as error:
        return _finish(trade, Trade.Status.FAILED, error.message)
    trade.save()  # ce qui part à l'exchange est enregistré avant l'envoi
    price = format(trade.price.normalize(), "f") if trade.price is not None else None
    try:
        order = _door(trade.broker, "create_order", trade.symbol, trade.type, trade.side, format(trade.quantity, "f"),
                      price, {"clientOrderId": trade.client_order_id})
    except UNCERTAIN as error:
        return _finish(trade, Trade.Status.PENDING, UNKNOWN_OUTCOME.format(error=error.message))
    except ExchangeError as error:
        return _finish(trade, Trade.Status.FAILED, error.message)
    apply_order(trade, order)
    _complete_fills(trade)
    return _finish(trade, trade.status, trade.error)


def place_order(*, user, broker_id: int, symbol: str, side: str, order_type: str, quantity: Decimal | None = None,
                amount: Decimal | None = None, percent: Decimal | None = None, price: Decimal | None = None,
                stop_loss: Decimal | None = None, take_profit: Decimal | None = None, source: str,
                client_order_id: str | None = None) -> Trade:
    """Passe un ordre et retourne son Trade (statut filled, partially_filled, open, rejected ou failed).

    Une seule taille : `quantity` (base), `amount` (cotation) ou `percent` (du solde libre : cotation à
    l'achat, base à la vente). Lève NotFound si le broker n'est pas à `user` ; tout autre échec est un
    Trade `rejected` (refusé avant envoi) ou `failed` (refusé par l'exchange, erreur) avec `error` en
    français. Le même `client_order_id` une seconde fois retourne le Trade existant, sans nouvel ordre.
    Pas de transaction englobante : la tentative est enregistrée avant l'appel à l'exchange.
    """
    broker = _owned_broker(user, broker_id)
    trade = Trade(user=broker.user, broker=broker, source=str(source)[:16], symbol=str(symbol)[:64],
                  side=str(side)[:8], type=str(order_type)[:16],
                  client_order_id=checks.new_client_order_id() if client_order_id is None else client_order_id)
    values, refusal = None, ""
    if not checks.valid_client_order_id(trade.client_order_id):
        trade.client_order_id = None
        refusal = "Identifiant client invalide : 1 à 36 caractères parmi lettres, chiffres et . _ : / -."
    else:
        try:
            values = checks.parse_request(source=source, side=side, order_type=order_type, quantity=quantity,
                                          amount=amount, percent=percent, price=price, stop_loss=stop_loss,
                                          take_profit=take_profit)
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
    return _send(trade, user, values)


def _reconcile(trade: Trade) -> Trade:
    """Tentative sans réponse : retrouvée chez l'exchange par son identifiant client, ou déclarée non passée."""
    try:
        order = _door(trade.broker, "fetch_order", None, trade.symbol, {"clientOrderId": trade.client_order_id})
    except OrderNotFound:
        if timezone.now() - trade.updated_at < timedelta(milliseconds=2 * settings.CCXT_TIMEOUT_MS):
            return trade  # peut-être encore en route
        return _finish(trade, Trade.Status.FAILED, f"L'ordre n'a pas atteint {trade.broker.name}.")
    trade.error = ""
    apply_order(trade, order)
    _complete_fills(trade)
    return _finish(trade, trade.status, trade.error)


def refresh_order(*, user, trade_id: int) -> Trade:
    """Relit l'ordre chez l'exchange (statut, exécutions, frais) ; lève NotFound ou ExchangeError.

    Une tentative `pending` sans identifiant d'exchange (réponse perdue, processus interrompu) est
    recherchée par son identifiant client : retrouvée, elle prend l'état de l'exchange ; absente, elle
    passe en `failed`.
    """
    trade = _owned_trade(user, trade_id)
    if trade.status == Trade.Status.PENDING and not trade.exchange_order_id and trade.client_order_id:
        return _reconcile(trade)
    if not trade.exchange_order_id or not trade.is_open:
        return trade
    before = (trade.status, trade.filled_quantity)
    apply_order(trade, _door(trade.broker, "fetch_order", trade.exchange_order_id, trade.symbol))
    _complete_fills(trade)
    trade.save()
    if (trade.status, trade.filled_quantity) != before:
        _announce(trade)
    return trade


def refresh_open_orders(*, user, broker_id: int) -> list[Trade]:
    """Les ordres ouverts du broker, relus chez l'exchange (un ordre exécuté entre-temps sort de la liste)."""
    broker = _owned_broker(user, broker_id)
    trades = owned(Trade.objects, user).filter(broker=broker, status__in=(*Trade.OPEN_STATUSES, Trade.Status.PENDING))
    refreshed = [refresh_order(user=user, trade_id=trade.pk) for trade in trades]
    return [trade for trade in refreshed if trade.is_open]


def cancel_order(*, user, trade_id: int) -> Trade:
    """Annule un ordre ouvert ; retourne le Trade à jour (cancelled, ou filled s'il s'est exécuté avant).

    Lève NotFound (ordre d'un autre), ValidationError (ordre plus ouvert) ou ExchangeError.
    """
    trade = _owned_trade(user, trade_id)
    if not trade.is_open:
        raise ValidationError(f"Cet ordre n'est pas ouvert (statut : {trade.get_status_display()}) : rien à annuler.")
    try:
        order = _door(trade.broker, "cancel_order", trade.exchange_order_id, trade.symbol)
    except OrderNotFound:
        return refresh_order(user=user, trade_id=trade.pk)  # exécuté ou annulé entre-temps
    apply_order(trade, order)
    if trade.status in Trade.OPEN_STATUSES:
        trade.status = Trade.Status.CANCELLED  # réponse sans statut : l'annulation a été acceptée
    _complete_fills(trade)
    return _finish(trade, trade.status, trade.error)
