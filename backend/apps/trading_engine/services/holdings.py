"""Ce que détient une activation : ses positions (apps.orders, `active_strategy_id`), l'ouverte et les closes."""

from decimal import Decimal

from apps.orders.models import Position, Trade
from apps.trading_engine.models import ActiveStrategy

SELL_MARK = "-vendre-"
LIVE_TRADE = (Trade.Status.PENDING, *Trade.OPEN_STATUSES)


def client_order_id(activation_id: int, candle_ms: int) -> str:
    """L'identifiant de l'ordre décidé sur une bougie : une vague rejouée ou un redémarrage n'en passe pas un second."""
    return f"strategy-{activation_id}-{candle_ms}"


def sell_order_id(activation_id: int, now_ms: int) -> str:
    return f"strategy-{activation_id}{SELL_MARK}{now_ms}"


def activation_positions(activation: ActiveStrategy):
    return Position.objects.filter(user_id=activation.user_id, active_strategy_id=activation.pk)


def live_position(activation: ActiveStrategy) -> Position | None:
    """La position en cours de l'activation (en ouverture, ouverte ou en clôture), ou None."""
    return (
        activation_positions(activation)
        .filter(status__in=Position.LIVE_STATUSES)
        .select_related("broker", "user")
        .first()
    )


def closed_positions(activation: ActiveStrategy):
    return activation_positions(activation).filter(status=Position.Status.CLOSED).order_by("-closed_at", "-id")


def realized_pnl(activation: ActiveStrategy) -> Decimal:
    return sum(closed_positions(activation).values_list("realized_pnl", flat=True), Decimal(0))


def live_trade_ids(activation: ActiveStrategy) -> list[int]:
    """Les ordres encore en cours de la position de l'activation (achat pas encore exécuté, jambes de protection) :
    relus avant chaque décision."""
    position = live_position(activation)
    if position is None:
        return []
    trades = position.trades.filter(status__in=LIVE_TRADE)
    if not position.broker.is_paper:  # les jambes sur l'exchange : relues chaque minute par le réconciliateur
        trades = trades.filter(role=Trade.Role.ORDER)
    return list(trades.values_list("pk", flat=True))
