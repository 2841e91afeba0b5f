"""Surveillance par Aristobot : les niveaux qu'aucun ordre de l'exchange ne tient sont comparés à chaque bougie
1m clôturée (moteur) et au dernier prix (réconciliateur) ; franchis, la position est vendue au marché.

Stop et take-profit franchis dans la même bougie : le stop l'emporte (la règle unique du backtest et du paper,
apps.core.fills).
"""

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q

from apps.brokers.models import PAPER
from apps.core.channels import ClosedCandle
from apps.core.exceptions import ExchangeError
from apps.core.fills import exit_in_candle
from apps.core.symbols import unified_symbol
from apps.orders import positions, protection
from apps.orders.models import Position, Trade
from apps.orders.services import close_position

logger = logging.getLogger("aristobot.positions")


def crossed(position: Position, *, open_: Decimal, low: Decimal, high: Decimal) -> str | None:
    """La raison de sortie si un niveau surveillé (qu'aucun ordre de l'exchange ne tient) est franchi dans la
    bougie, sinon None : la règle du backtest (apps.core.fills)."""
    if exit_in_candle(open_, high, low, position.stop_loss, position.take_profit) is None:
        return None  # rien de franchi : les ordres de l'exchange ne sont pas lus
    held = protection.exchange_levels(position)
    stop = None if Trade.Role.STOP_LOSS in held else position.stop_loss
    target = None if Trade.Role.TAKE_PROFIT in held else position.take_profit
    hit = exit_in_candle(open_, high, low, stop, target)
    return None if hit is None else hit[0]


def trigger(position: Position, reason: str) -> Position:
    """Vente au marché de la position, une seule fois par génération de protection (identifiant client)."""
    client_id = f"p{position.pk}w{position.protection_generation}"
    closed, trade = close_position(position, reason=reason, source=position.source, client_order_id=client_id)
    logger.info("Position %s : %s franchi, vente %s (%s)", position.pk, reason, trade.pk, trade.status)
    return closed


def check(position: Position, *, open_: Decimal, low: Decimal, high: Decimal) -> Position | None:
    """Vend la position si un niveau surveillé est franchi ; retourne la position vendue, sinon None."""
    reason = crossed(position, open_=open_, low=low, high=high)
    if reason is None:
        return None
    try:
        return trigger(position, reason)
    except (ExchangeError, ValidationError) as error:
        positions.note_failure(position, error)
        return None


def watched_positions(symbols: set[str], exchanges: set[str]):
    """Les positions ouvertes de ces paires sur ces exchanges, qui ont un niveau (stop-loss ou take-profit)."""
    return Position.objects.select_related("broker", "user").filter(
        Q(stop_loss__isnull=False) | Q(take_profit__isnull=False),
        status=Position.Status.OPEN,
        symbol__in=symbols,
        broker__exchange__in=exchanges,
    )


def check_candles(candles: list[ClosedCandle]) -> list[Position]:
    """Bougies 1m clôturées d'une vague (moteur), en une requête : les positions de chaque paire sur son exchange
    (paper tire ses prix de la bougie de la paire, quel que soit l'exchange)."""
    minutes, by_symbol = {}, {}
    for candle in candles:
        if candle.timeframe == "1m":
            symbol = unified_symbol(candle.symbol) or candle.symbol
            minutes[(candle.exchange, symbol)] = by_symbol[symbol] = candle
    if not minutes:
        return []
    sold = []
    for position in watched_positions(set(by_symbol), {exchange for exchange, _ in minutes} | {PAPER}):
        paper = position.broker.exchange == PAPER
        candle = by_symbol[position.symbol] if paper else minutes[(position.broker.exchange, position.symbol)]
        closed = check(position, open_=candle.open, low=candle.low, high=candle.high)
        if closed is not None:
            sold.append(closed)
    return sold
