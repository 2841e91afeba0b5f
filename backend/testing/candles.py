"""Bougies clôturées pour les tests : la forme exacte que publie le heartbeat."""

from decimal import Decimal

from apps.heartbeat.bars import TIMEFRAME_MS, Bar

START_MS = 1_700_000_000_000 - 1_700_000_000_000 % TIMEFRAME_MS["4h"]


def closed_candle(symbol: str, timeframe: str, price: str = "100.5", open_ms: int = START_MS) -> dict:
    value = Decimal(price)
    return Bar(symbol, timeframe, open_ms, value, value, value, value, Decimal(1)).to_data("binance")
