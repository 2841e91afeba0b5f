"""Ce que détient une activation : sa position ouverte, ses trades clos, son P&L réalisé.

Lu dans les Trades exécutés de l'activation (identifiant client `strategy-<id>-…`), par paires achat → vente.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from apps.orders.models import Trade
from apps.trading_engine.models import ActiveStrategy


@dataclass(frozen=True)
class Holding:
    """Une position de l'activation : ouverte (exit_* vides) ou close."""

    symbol: str
    quantity: Decimal
    entry_price: Decimal
    stop_loss: Decimal | None
    take_profit: Decimal | None
    opened_at: datetime
    entry_cost: Decimal  # payé en devise de cotation, frais compris
    exit_price: Decimal | None = None
    exit_reason: str | None = None
    closed_at: datetime | None = None
    realized_pnl: Decimal | None = None


SELL_MARK = "-vendre-"


def client_order_id(activation_id: int, candle_ms: int) -> str:
    """L'identifiant de l'ordre décidé sur une bougie : une vague rejouée ou un redémarrage n'en passe pas un second."""
    return f"strategy-{activation_id}-{candle_ms}"


def sell_order_id(activation_id: int, now_ms: int) -> str:
    return f"strategy-{activation_id}{SELL_MARK}{now_ms}"


def activation_trades(activation: ActiveStrategy):
    return Trade.objects.filter(
        user_id=activation.user_id,
        source=Trade.Source.STRATEGY,
        client_order_id__startswith=f"strategy-{activation.pk}-",
    )


def _quote_fee(trade: Trade, base: str) -> Decimal:
    """Frais payés hors actif de base (celui-là réduit la quantité reçue)."""
    return sum((cost for currency, cost in trade.fee_amounts().items() if currency != base), Decimal(0))


def _base_fee(trade: Trade, base: str) -> Decimal:
    return trade.fee_amounts().get(base, Decimal(0))


def holdings(activation: ActiveStrategy) -> list[Holding]:
    """Les positions de l'activation dans l'ordre : closes, puis l'ouverte s'il y en a une."""
    base = activation.symbol.split("/")[0]
    found, opened = [], None
    for trade in activation_trades(activation).filter(filled_quantity__gt=0).order_by("created_at", "id"):
        if trade.side == Trade.Side.BUY and opened is None:
            opened = Holding(
                symbol=trade.symbol,
                quantity=trade.filled_quantity - _base_fee(trade, base),
                entry_price=trade.average_price,
                stop_loss=trade.stop_loss,
                take_profit=trade.take_profit,
                opened_at=trade.created_at,
                entry_cost=trade.filled_quantity * trade.average_price + _quote_fee(trade, base),
            )
        elif trade.side == Trade.Side.SELL and opened is not None:
            proceeds = trade.filled_quantity * trade.average_price - _quote_fee(trade, base)
            found.append(
                replace(
                    opened,
                    exit_price=trade.average_price,
                    exit_reason="manual" if SELL_MARK in trade.client_order_id else "signal",
                    closed_at=trade.created_at,
                    realized_pnl=proceeds - opened.entry_cost,
                )
            )
            opened = None
    return [*found, opened] if opened else found


def open_holding(activation: ActiveStrategy) -> Holding | None:
    found = holdings(activation)
    return found[-1] if found and found[-1].closed_at is None else None


def realized_pnl(activation: ActiveStrategy) -> Decimal:
    return sum((h.realized_pnl for h in holdings(activation) if h.realized_pnl is not None), Decimal(0))
