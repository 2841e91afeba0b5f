"""Le gestionnaire des positions, côté ordres : la seule porte des autres apps (manuel, webhooks, moteur, bot,
réconciliateur) pour passer, relire et annuler un ordre.

Chaque ordre part par la passerelle (apps.orders.gateway : envoi, relecture, annulation, enregistrement), puis la
position de son livre le suit (apps.orders.positions : ouverte, augmentée, réduite, clôturée, protégée). Couches, les
imports dans un seul sens : services → positions → protection → gateway ; ledger (pur) sous positions.
"""

from dataclasses import replace
from decimal import Decimal

from django.core.exceptions import ValidationError

from apps.brokers.models import Broker
from apps.core.exceptions import ExchangeError
from apps.core.scoping import owned
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders import books, gateway, positions, protection
from apps.orders.locks import symbol_lock
from apps.orders.models import Position, Trade
from apps.orders.positions import live_position as live_position
from apps.orders.positions import refusal_text as refusal_text
from apps.orders.request import OrderRequest


def _follow(trade: Trade) -> Trade:
    """La position du livre du Trade le suit (ouverte, augmentée, réduite, clôturée, protégée) ; le verrou de sa
    paire est tenu."""
    if trade.pk is not None:
        positions.follow(trade)
    return trade


def place_order(request: OrderRequest, *, after_send: gateway.AfterSend | None = None) -> Trade:
    """Passe l'ordre demandé (apps.orders.gateway.send_order : tailles, refus, idempotence, achat au montant) et fait
    suivre la position de son livre : un achat exécuté l'ouvre ou l'augmente (protégée par `stop_loss` /
    `take_profit`), une vente la réduit, sa protection retirée d'abord (les autres livres gardent la leur).
    Sous le verrou de la paire : deux ordres sur la même paire d'un broker, de sources différentes, passent l'un
    après l'autre (le second voit la position du premier : limites de risque, soldes).
    `after_send(trade)` : appelé dès l'issue de l'envoi enregistrée, avant sa publication et le suivi de la position
    (le moteur envoie les ordres d'une vague d'abord).
    """
    broker = gateway.owned_broker(request.user, request.broker_id, request.broker)
    request = replace(request, broker=broker)
    pair = _pair(broker, request.symbol)
    with symbol_lock(broker.pk, pair):
        # Un achat rejoué n'a rien à retirer : la passerelle rend son Trade, dont le suivi (la position recalculée
        # depuis ses exécutions) ne change rien ; une vente rejouée ne doit pas retirer la protection.
        replayed = request.side == Trade.Side.SELL and _replayed(broker, request)
        if request.side == Trade.Side.SELL and not replayed:
            book = request.book or books.of_order(source=request.source, active_strategy_id=request.active_strategy_id)
            positions.before_sell(user_id=broker.user_id, broker_id=broker.pk, symbol=pair, book=book)
            request = replace(request, book=book)
        trade = gateway.send_order(request, after_send=None if replayed else after_send)
        if replayed:
            return trade  # la vente déjà enregistrée, telle quelle : ni nouvel envoi, ni nouveau suivi
        return _follow(trade)


def _pair(broker: Broker, symbol) -> str:
    """La paire telle que la nomme le marché (« BTCUSDT » → « BTC/USDT »), clé du verrou ; telle quelle si elle est
    inconnue (la passerelle enregistrera le refus)."""
    try:
        return ccxt_manager.sync.market(broker, str(symbol)).symbol
    except (ValidationError, ExchangeError):
        return str(symbol)[:64]


def _replayed(broker: Broker, request: OrderRequest) -> bool:
    """Identifiant client déjà servi : la passerelle rendra ce Trade-là, sans nouvel ordre (rien à retirer)."""
    wanted = request.client_id() if request.client_order_id is not None else None
    return wanted is not None and Trade.objects.filter(user_id=broker.user_id, client_order_id=wanted).exists()


def refresh_trade(trade_id: int) -> Trade:
    """Relit l'ordre chez l'exchange (gateway.refresh_trade) et fait suivre sa position, sous le verrou de sa paire ;
    lève ExchangeError. Pour les processus de fond (worker, moteur, réconciliateur) qui ne parlent pas au nom d'un
    utilisateur."""
    with _trade_pair(trade_id):
        return _follow(gateway.refresh_trade(trade_id))


def _trade_pair(trade_id: int):
    broker_id, symbol = Trade.objects.filter(pk=trade_id).values_list("broker_id", "symbol").get()
    return symbol_lock(broker_id, symbol)


def refresh_order(*, user, trade_id: int) -> Trade:
    """refresh_trade d'un ordre de `user` ; lève NotFound ou ExchangeError."""
    return refresh_trade(gateway.owned_trade_id(user, trade_id))


def refresh_open_orders(*, user, broker_id: int) -> list[Trade]:
    """Les ordres ouverts du broker, relus chez l'exchange (un ordre exécuté entre-temps sort de la liste).

    Un ordre illisible reste dans la liste avec son erreur (`refresh_error`), les autres sont relus.
    """
    broker = gateway.owned_broker(user, broker_id)
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


def cancel_trade(trade_id: int) -> Trade:
    """Annule un ordre ouvert (gateway.cancel_trade) et fait suivre sa position, sous le verrou de sa paire ; sans
    contrôle de propriétaire (processus de fond). Lève ValidationError (ordre plus ouvert) ou ExchangeError."""
    with _trade_pair(trade_id):
        return _follow(gateway.cancel_trade(trade_id))


def cancel_order(*, user, trade_id: int) -> Trade:
    """Annule un ordre ouvert de `user` ; retourne le Trade à jour (cancelled, ou filled s'il s'est exécuté avant).

    Lève NotFound (ordre d'un autre), ValidationError (ordre plus ouvert) ou ExchangeError.
    """
    return cancel_trade(gateway.owned_trade_id(user, trade_id))


def close_position(
    position: Position,
    *,
    reason: str,
    source: str,
    client_order_id: str | None = None,
    webhook_id: int | None = None,
    reference_price: Decimal | None = None,
    after_send: gateway.AfterSend | None = None,
) -> tuple[Position, Trade]:
    """Clôture : protection retirée d'abord, puis vente au marché de la quantité détenue (ni plus, ni moins).

    Lève ValidationError si la position n'est pas ouverte ; une vente refusée rend la position ouverte et
    protégée de nouveau (le Trade refusé est retourné avec son erreur). `reference_price`, `after_send` : ceux
    de place_order.
    """
    with symbol_lock(position.broker_id, position.symbol):
        positions.reload(position)
        if position.status != Position.Status.OPEN:
            raise ValidationError(f"Cette position n'est pas ouverte (statut : {position.get_status_display()}).")
        if protection.release(position):
            position = positions.settle_quietly(position)  # une jambe exécutée entre-temps : la quantité détenue relue
        if position.status != Position.Status.OPEN:
            raise ValidationError("La position vient d'être clôturée par sa protection : rien à vendre.")
        amount = positions.held_amount(position)
        position.status, position.exit_reason = Position.Status.CLOSING, reason
        position.save(update_fields=["status", "exit_reason", "updated_at"])
        trade = gateway.send_order(
            OrderRequest(
                user=position.user,
                broker_id=position.broker_id,
                broker=position.broker,
                symbol=position.symbol,
                side=Trade.Side.SELL,
                order_type=Trade.Type.MARKET,
                quantity=amount,
                source=source,
                book=position.book,
                client_order_id=client_order_id,
                webhook_id=webhook_id,
                active_strategy_id=position.active_strategy_id,
                reference_price=reference_price,
            ),
            after_send=after_send,
        )
        refused = _refused(trade)
        if trade.position_id is None:
            trade.position = position
            trade.save(update_fields=["position", "updated_at"])
        if refused:
            position.status, position.exit_reason = Position.Status.OPEN, ""
            position.sync_error = f"Vente refusée : {trade.error}"
            position.save(update_fields=["status", "exit_reason", "sync_error", "updated_at"])
        return positions.settle(position), trade


def close_owned_position(*, user, position_id) -> Position:
    """« Clôturer » (Trading manuel, API) ; lève NotFound, ValidationError (pas ouverte, vente refusée)."""
    position = positions.owned_position(user=user, position_id=position_id)
    position, trade = close_position(position, reason=Position.ExitReason.MANUAL, source=Trade.Source.MANUAL)
    if _refused(trade):
        raise ValidationError(f"Vente refusée : {trade.error}")
    return position


def _refused(trade: Trade) -> bool:
    """Ni exécuté ni en cours : refusé avant envoi ou par l'exchange."""
    return not trade.executed and trade.status not in positions.LIVE_TRADE
