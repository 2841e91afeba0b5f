"""Surveillance par Aristobot : les niveaux qu'aucun ordre de l'exchange ne tient sont comparés à chaque bougie
1m clôturée (moteur) et au dernier prix (réconciliateur) ; franchis, la position est vendue au marché.

Stop et take-profit franchis dans la même bougie : le stop l'emporte (comme le backtest).
"""

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError

from apps.brokers.models import PAPER
from apps.core.channels import ClosedCandle
from apps.core.exceptions import ExchangeError
from apps.core.symbols import unified_symbol
from apps.orders import positions, protection
from apps.orders.models import Position, Trade

logger = logging.getLogger("aristobot.positions")


def crossed(position: Position, *, low: Decimal, high: Decimal) -> str | None:
    """La raison de sortie si un niveau surveillé est franchi entre `low` et `high`, sinon None."""
    held = protection.exchange_levels(position)
    if position.stop_loss and Trade.Role.STOP_LOSS not in held and low <= position.stop_loss:
        return Position.ExitReason.STOP_LOSS
    if position.take_profit and Trade.Role.TAKE_PROFIT not in held and high >= position.take_profit:
        return Position.ExitReason.TAKE_PROFIT
    return None


def trigger(position: Position, reason: str) -> Position:
    """Vente au marché de la position, une seule fois par génération de protection (identifiant client)."""
    client_id = f"p{position.pk}w{position.protection_generation}"
    closed, trade = positions.close(position, reason=reason, source=position.source, client_order_id=client_id)
    logger.info("Position %s : %s franchi, vente %s (%s)", position.pk, reason, trade.pk, trade.status)
    return closed


def check(position: Position, *, low: Decimal, high: Decimal) -> Position | None:
    """Vend la position si un niveau surveillé est franchi ; retourne la position vendue, sinon None."""
    reason = crossed(position, low=low, high=high)
    if reason is None:
        return None
    try:
        return trigger(position, reason)
    except (ExchangeError, ValidationError) as error:
        positions.note_failure(position, error)
        return None


def watched_positions(symbol: str, exchanges: tuple[str, ...]):
    return Position.objects.select_related("broker", "user").filter(
        status=Position.Status.OPEN, symbol=symbol, broker__exchange__in=exchanges
    )


def check_candle(candle: ClosedCandle) -> list[Position]:
    """Bougie 1m clôturée (moteur) : positions de la paire sur cet exchange (et paper, qui en tire ses prix)."""
    if candle.timeframe != "1m":
        return []
    sold = []
    symbol = unified_symbol(candle.symbol) or candle.symbol
    for position in watched_positions(symbol, (candle.exchange, PAPER)):
        closed = check(position, low=candle.low, high=candle.high)
        if closed is not None:
            sold.append(closed)
    return sold
