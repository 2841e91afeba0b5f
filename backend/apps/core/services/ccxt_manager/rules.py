"""Les règles de l'exchange lues dans les marchés chargés : paire connue et active, arrondis de quantité et de
prix, minimum d'un ordre de protection et nombre d'ordres stop/take-profit permis par paire."""

from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import ccxt
from django.core.exceptions import ValidationError

from apps.core.exceptions import AlgoOrdersLimit, ExchangeError, OrderRejected, translate
from apps.core.services.ccxt_manager.calls import read
from apps.core.services.ccxt_manager.registry import secrets_of
from apps.core.services.exchange_data import Market, market_from, to_decimal
from apps.core.symbols import find_market

# Ordres « algo » de Binance (stop-loss et take-profit), limités par paire (filtre MAX_NUM_ALGO_ORDERS).
ALGO_TYPES = frozenset({"STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"})


def text(value: Decimal) -> str:
    """Un Decimal écrit pour l'exchange, sans exposant ni zéros de fin."""
    return format(value.normalize(), "f")


def market_of(exchange, broker, symbol: str) -> Market:
    raw = find_market(exchange.markets, symbol)
    if raw is None:
        raise ValidationError(f"Paire inconnue sur {broker.name} : {symbol}.")
    market = market_from(raw)
    if not market.active:
        raise ValidationError(f"Paire {market.symbol} inactive sur {broker.name} : ordre refusé.")
    return market


def precision_of(exchange, broker, symbol: str, amount, price=None, side=None) -> tuple[Decimal, Decimal | None]:
    try:
        rounded = exchange.amount_to_precision(symbol, format(amount, "f"))
    except ccxt.InvalidOrder:
        rounded = "0"
    if price is not None and side is not None:
        price = _safe_tick(exchange, symbol, Decimal(price), side)
    try:
        price = None if price is None else exchange.price_to_precision(symbol, format(price, "f"))
    except ccxt.BaseError as error:
        raise translate(error, exchange.name, exchange.id, secrets_of(broker)) from None
    return Decimal(rounded), to_decimal(price)


def _safe_tick(exchange, symbol: str, price: Decimal, side: str) -> Decimal:
    """Le prix limite sur le pas de prix, arrondi du côté sûr : vers le bas à l'achat, vers le haut à la vente."""
    raw = find_market(exchange.markets, symbol) or {}
    tick = to_decimal((raw.get("precision") or {}).get("price"))
    if not tick:
        return price
    if getattr(exchange, "precisionMode", ccxt.TICK_SIZE) != ccxt.TICK_SIZE:
        tick = Decimal(1).scaleb(-int(tick))
    rounding = ROUND_FLOOR if side == "buy" else ROUND_CEILING
    return (price / tick).to_integral_value(rounding) * tick


def amount_step_of(exchange, symbol: str) -> Decimal | None:
    raw = find_market(exchange.markets, symbol)
    amount = ((raw or {}).get("precision") or {}).get("amount")
    if amount is None:
        return None
    if getattr(exchange, "precisionMode", ccxt.TICK_SIZE) == ccxt.TICK_SIZE:
        return to_decimal(amount)
    return Decimal(1).scaleb(-int(amount))  # DECIMAL_PLACES : un nombre de décimales


def _filter(raw: dict, kind: str) -> dict:
    """Un filtre exchangeInfo de Binance du marché CCXT brut (vide s'il n'y en a pas)."""
    filters = ((raw or {}).get("info") or {}).get("filters") or []
    return next((f for f in filters if isinstance(f, dict) and f.get("filterType") == kind), {})


async def check_protection(exchange, broker, symbol: str, amount: Decimal, prices: Iterable[Decimal]) -> None:
    """Refuse en français, avant l'envoi, un ordre de protection que l'exchange refuserait : montant de la jambe
    la plus basse sous le minimum, ou paire portant déjà son maximum d'ordres stop/take-profit (exchangeInfo)."""
    raw = find_market(exchange.markets, symbol) or {}
    market = market_from(raw) if raw else None
    lowest = min(prices)
    if market is not None and market.min_cost and amount * lowest < market.min_cost:
        raise OrderRejected(
            exchange.name,
            f"montant {text(amount * lowest)} {market.quote} sous le minimum de {text(market.min_cost)} "
            f"{market.quote} pour {market.symbol} (non envoyé)",
        )
    limit = _filter(raw, "MAX_NUM_ALGO_ORDERS").get("maxNumAlgoOrders")
    if not limit:
        return
    try:
        orders = await read(exchange, broker, "fetch_open_orders", symbol)
    except ExchangeError as error:  # rien n'est parti : jamais une issue incertaine
        detail = f"ordres ouverts de {symbol} illisibles, non envoyé ({error.detail})"
        raise ExchangeError(exchange.name, detail) from None
    algo = sum(1 for o in orders if (o.get("info") or {}).get("type") in ALGO_TYPES)
    if algo >= int(limit):
        raise AlgoOrdersLimit(
            exchange.name, f"{algo} ordres stop/take-profit déjà ouverts sur {symbol}, le maximum permis (non envoyé)"
        )
