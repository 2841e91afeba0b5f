"""Paires et prix de l'exchange paper : les paires suivies par le heartbeat, les prix des bougies stockées."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Max, Min

from apps.core.symbols import unified_symbol
from apps.heartbeat.followers import requested_symbols
from apps.heartbeat.models import HeartbeatStatus
from apps.market_data.models import Candle

DEFAULT_SYMBOLS = ("BTC/USDT", "ETH/USDT")
PRICE_EXCHANGE = "binance"  # le heartbeat stocke les bougies de Binance
# Pas de prix et de quantité de Binance spot ; minimum 5 en devise de cotation (filtre NOTIONAL).
STEPS = {
    "BTC": ("0.01", "0.00001"),
    "ETH": ("0.01", "0.0001"),
    "BNB": ("0.01", "0.001"),
    "SOL": ("0.01", "0.001"),
    "XRP": ("0.0001", "0.1"),
    "ADA": ("0.0001", "0.1"),
    "DOGE": ("0.00001", "1"),
}
DEFAULT_STEPS = ("0.0001", "0.01")
SYMBOL_STEPS = {"LTC/BTC": ("0.000001", "0.001")}  # cotées en BTC : le pas de Binance, pas celui des paires USDT
MIN_COST = Decimal("5")
MIN_COST_BY_QUOTE = {"BTC": Decimal("0.0001"), "ETH": Decimal("0.001")}  # filtre NOTIONAL de Binance


def paper_symbols() -> list[str]:
    followed = (
        unified_symbol(s) for s in [*HeartbeatStatus.load().symbols, *requested_symbols()] if isinstance(s, str)
    )
    return sorted(set(DEFAULT_SYMBOLS) | {s for s in followed if s})


def market(symbol: str) -> dict:
    """Structure de marché CCXT (nombres en Decimal) pour une paire spot paper."""
    base, quote = symbol.split("/")
    price_step, amount_step = (Decimal(v) for v in SYMBOL_STEPS.get(symbol) or STEPS.get(base, DEFAULT_STEPS))
    return {
        "id": symbol.replace("/", ""),
        "symbol": symbol,
        "base": base,
        "quote": quote,
        "type": "spot",
        "spot": True,
        "active": True,
        "taker": Decimal("0.001"),
        "maker": Decimal("0.001"),
        "precision": {"amount": amount_step, "price": price_step},
        "limits": {
            "amount": {"min": amount_step, "max": Decimal("9000")},
            "price": {"min": price_step, "max": Decimal("1000000")},
            "cost": {"min": MIN_COST_BY_QUOTE.get(quote, MIN_COST), "max": None},
        },
    }


def paper_markets() -> dict[str, dict]:
    return {symbol: market(symbol) for symbol in paper_symbols()}


def _candles(symbol: str):
    return Candle.objects.filter(exchange=PRICE_EXCHANGE, symbol__in=[symbol, symbol.replace("/", "")])


def last_candle(symbol: str) -> Candle | None:
    """La bougie stockée la plus récente de la paire (toutes unités de temps confondues)."""
    return _candles(symbol).order_by("-close_time").first()


def price_range_since(symbol: str, since: datetime) -> tuple[Decimal | None, Decimal | None]:
    """(plus bas, plus haut) des bougies ouvertes depuis `since` : les prix vus après un ordre."""
    span = _candles(symbol).filter(open_time__gte=since).aggregate(low=Min("low"), high=Max("high"))
    return span["low"], span["high"]


def minute_candles_since(symbol: str, since: datetime) -> list[Candle]:
    """Les bougies 1m ouvertes depuis `since`, dans l'ordre : celles qui déclenchent stop-loss et take-profit."""
    return list(_candles(symbol).filter(timeframe="1m", open_time__gte=since).order_by("open_time"))


def market_time(symbol: str):
    """L'ouverture de la bougie 1m qui suit la dernière enregistrée de la paire (None sans bougie)."""
    last = _candles(symbol).filter(timeframe="1m").order_by("-open_time").values_list("open_time", flat=True).first()
    return last + timedelta(minutes=1) if last else None


def first_minute_since(symbol: str, since: datetime) -> Candle | None:
    """La première bougie 1m ouverte à partir de `since` : le premier prix après un ordre."""
    return _candles(symbol).filter(timeframe="1m", open_time__gte=since).order_by("open_time").first()
