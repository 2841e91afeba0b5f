"""Le gestionnaire des positions : ouvertes, augmentées, réduites, clôturées et protégées par les Trades exécutés.

Tout passe par `track(trade_id)` (ou `follow(trade)`, le Trade tout juste enregistré), appelé par
apps.orders.services après chaque changement d'un Trade (passé, relu, annulé), sous le verrou de la paire
(apps.orders.locks) : la position est recalculée depuis les exécutions réelles de ses Trades (apps.orders.ledger),
puis sa protection est reposée pour la quantité détenue (apps.orders.protection).
Les ordres partent par la passerelle (apps.orders.gateway), qui ignore les positions : rien n'y rappelle ce module.
"""

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.core.channels import POSITION, client_event, publish_sync, user_group
from apps.core.exceptions import ExchangeError, NotFound
from apps.core.scoping import owned
from apps.orders import books, gateway, ledger, protection
from apps.orders.locks import symbol_lock
from apps.orders.models import Position, Trade
from apps.orders.selectors import with_trades
from apps.orders.serializers import PositionSerializer

logger = logging.getLogger("aristobot.positions")

LIVE_TRADE = (Trade.Status.PENDING, *Trade.OPEN_STATUSES)
EXIT_BY_SOURCE = {
    Trade.Source.MANUAL: Position.ExitReason.MANUAL,
    Trade.Source.WEBHOOK: Position.ExitReason.WEBHOOK,
    Trade.Source.STRATEGY: Position.ExitReason.SIGNAL,
    Trade.Source.BOT: Position.ExitReason.MANUAL,
}


def announce(position: Position) -> None:
    """Pousse la position dans le groupe privé de son utilisateur ; un Redis absent ne la défait pas."""
    try:
        fresh = with_trades(Position.objects.select_related("broker").get(pk=position.pk))
        publish_sync(user_group(fresh.user_id), client_event(POSITION, dict(PositionSerializer(fresh).data)))
    except Exception:
        logger.warning("Position %s non publiée sur le WebSocket", position.pk, exc_info=True)


_STATE_FIELDS = [f.attname for f in Position._meta.concrete_fields if not f.is_relation]


def reload(position: Position) -> None:
    """Relit l'état de la position en gardant son broker et son utilisateur chargés (ils ne changent jamais) :
    refresh_from_db les oublierait, et chaque accès suivant serait une requête."""
    position.refresh_from_db(fields=_STATE_FIELDS)


def live_position(*, user_id: int, broker_id: int, symbol: str, book: str) -> Position | None:
    """La position en cours (en ouverture, ouverte ou en clôture) du livre `book` sur la paire, ou None."""
    return (
        Position.objects.select_related("broker", "user")
        .filter(user_id=user_id, broker_id=broker_id, symbol=symbol, book=book, status__in=Position.LIVE_STATUSES)
        .first()
    )


def owned_position(*, user, position_id) -> Position:
    try:
        found = owned(Position.objects, user).filter(pk=int(position_id)).first()
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise NotFound(f"Position inconnue : {position_id}.")
    return found


def fills_of(position: Position) -> list[ledger.Fill]:
    """Les exécutions de ses Trades, pour le grand livre ; les frais dans une autre devise (BNB…) ne sont pas
    convertis."""
    base, quote = position.symbol.split("/")
    fills = []
    for trade in position.trades.filter(filled_quantity__gt=0).order_by("pk"):
        fees = trade.fee_amounts()
        fills.append(
            ledger.Fill(
                side=trade.side,
                quantity=trade.filled_quantity,
                price=trade.average_price or Decimal(0),
                base_fee=fees.get(base, Decimal(0)),
                quote_fee=fees.get(quote, Decimal(0)),
            )
        )
    return fills


def recompute(position: Position) -> None:
    """Quantité, prix d'entrée, coût, ventes, frais et P&L réalisé depuis les exécutions de ses Trades (ledger)."""
    state = ledger.book_from_fills(fills_of(position), position.external_quantity)
    position.bought_quantity, position.sold_quantity, position.quantity = state.bought, state.sold, state.quantity
    position.entry_price, position.entry_cost = state.entry_price, state.entry_cost
    position.proceeds, position.fees, position.exit_price = state.proceeds, state.fees, state.exit_price
    position.realized_pnl, position.realized_pnl_pct = state.realized_pnl, state.realized_pnl_pct


def held_amount(position: Position) -> Decimal:
    """La quantité détenue arrondie au pas du marché ; 0 sous le minimum du marché (poussière)."""
    return gateway.sellable_amount(position.broker, position.symbol, position.quantity)


def _attach(trade: Trade) -> Position | None:
    """Rattache un Trade ordinaire à la position de son livre sur sa paire (créée par un achat) ; None s'il n'en a
    pas. Une vente ne touche jamais la position d'un autre livre."""
    book = trade.book or books.of_order(source=trade.source, active_strategy_id=trade.active_strategy_id)
    position = live_position(user_id=trade.user_id, broker_id=trade.broker_id, symbol=trade.symbol, book=book)
    if trade.side == Trade.Side.BUY:
        if position is None:
            if not trade.executed and trade.status not in LIVE_TRADE:
                return None
            position = Position.objects.create(
                user_id=trade.user_id,
                broker=trade.broker,
                symbol=trade.symbol,
                source=trade.source,
                book=book,
                webhook_id=trade.webhook_id,
                active_strategy_id=trade.active_strategy_id,
                entry_trade=trade,
                stop_loss=trade.stop_loss,
                take_profit=trade.take_profit,
            )
        elif trade.stop_loss or trade.take_profit:
            position.stop_loss, position.take_profit = trade.stop_loss, trade.take_profit
            position.save(update_fields=["stop_loss", "take_profit", "updated_at"])
    elif position is None or position.status == Position.Status.OPENING:
        return None
    trade.position = position
    trade.save(update_fields=["position", "updated_at"])
    return position


def _last_sale(position: Position) -> Trade | None:
    return position.trades.filter(side=Trade.Side.SELL, filled_quantity__gt=0).order_by("-updated_at").first()


def _exit_reason(position: Position, last: Trade | None) -> str:
    """La raison de clôture : le rôle de la dernière vente (jambe de protection), sinon selon son origine."""
    if last is not None and last.role:
        return last.role
    return EXIT_BY_SOURCE.get(last.source if last else position.source, Position.ExitReason.MANUAL)


def _close_if_sold(position: Position) -> None:
    """Tout vendu (reste sous le pas ou le minimum du marché, en quantité ou, au prix de la dernière vente, en
    montant) : la position est clôturée, avec sa raison ; ce reste invendable est son reliquat (`remainder`), jamais
    une position ouverte."""
    sale = _last_sale(position) if position.sold_quantity > 0 else None
    price = sale.average_price if sale is not None else None
    held = gateway.sellable_amount(position.broker, position.symbol, position.quantity, price)
    position.remainder = position.quantity - held if position.quantity > 0 else Decimal(0)
    selling = position.status in (Position.Status.OPEN, Position.Status.CLOSING) and position.sold_quantity > 0
    if selling and held <= 0:
        position.status, position.closed_at = Position.Status.CLOSED, timezone.now()
        position.exit_reason = position.exit_reason or _exit_reason(position, sale)


def _reopen_if_unsold(position: Position) -> None:
    """En clôture sans vente en cours ni aboutie (refusée, jamais arrivée) : la position redevient ouverte."""
    if position.status != Position.Status.CLOSING:
        return
    selling = position.trades.filter(side=Trade.Side.SELL, role="", status__in=LIVE_TRADE).exists()
    if not selling:
        position.status, position.exit_reason = Position.Status.OPEN, ""


def settle(position: Position) -> Position:
    """Recalcule la position et son état, pose ou retire sa protection, la publie (verrou de la paire tenu)."""
    for _ in range(4):  # une jambe exécutée pendant la pose de la protection : on recalcule
        reload(position)
        recompute(position)
        if position.status == Position.Status.OPENING:
            if position.bought_quantity > 0:
                position.status = Position.Status.OPEN
            elif not position.trades.filter(side=Trade.Side.BUY, status__in=LIVE_TRADE).exists():
                position.status, position.closed_at = Position.Status.FAILED, timezone.now()
        _close_if_sold(position)
        _reopen_if_unsold(position)
        position.save()
        if position.status != Position.Status.OPEN:
            if not position.is_live:
                protection.release(position)
            break
        if not protection.ensure(position):
            break
    announce(position)
    return position


def track(trade_id: int) -> Position | None:
    """Après chaque changement d'un Trade : sa position ouverte, augmentée, réduite ou clôturée, et protégée.

    Une erreur d'exchange pendant la pose de la protection est écrite sur la position (le réconciliateur
    réessaie), jamais levée vers l'appelant : l'ordre, lui, est passé.
    """
    trade = Trade.objects.only("broker_id", "symbol").get(pk=trade_id)
    with symbol_lock(trade.broker_id, trade.symbol):
        return follow(Trade.objects.select_related("broker", "user").get(pk=trade_id))


def follow(trade: Trade) -> Position | None:
    """`track` d'un Trade tel que la passerelle vient de l'enregistrer, le verrou de sa paire déjà tenu par
    l'appelant (apps.orders.services) : sans le relire."""
    position = trade.position if trade.position_id else (None if trade.role else _attach(trade))
    if position is None:
        return None
    try:
        if trade.role and trade.status == Trade.Status.CANCELLED:
            protection.lost_leg(position, trade)
        return settle(position)
    except (ExchangeError, ValidationError) as error:
        note_failure(position, error)
        return position


def refusal_text(error: ExchangeError | ValidationError) -> str:
    """Le message français d'une erreur d'exchange ou d'un refus de validation."""
    return getattr(error, "message", None) or " ".join(getattr(error, "messages", [str(error)]))


def note_failure(position: Position, error: Exception) -> None:
    """L'erreur d'exchange est écrite sur la position (montrée à l'utilisateur) et publiée, une fois."""
    message = refusal_text(error)
    if position.sync_error != message:
        logger.info("Position %s : %s", position.pk, message)
        Position.objects.filter(pk=position.pk).update(sync_error=message)
        position.sync_error = message
        announce(position)


def before_sell(*, user_id: int, broker_id: int, symbol: str, book: str) -> None:
    """Avant une vente d'un livre : la protection de sa position en cours est retirée (elle bloque son solde) ;
    celles des autres livres restent en place."""
    position = live_position(user_id=user_id, broker_id=broker_id, symbol=symbol, book=book)
    if position is None:
        return
    with symbol_lock(broker_id, symbol):
        protection.release(position)


def settle_quietly(position: Position) -> Position:
    """Recalcul seul (sans protection ni publication) : quantité à jour après le retrait des ordres de protection."""
    reload(position)
    recompute(position)
    _close_if_sold(position)
    position.save()
    return position
