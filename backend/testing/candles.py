"""Bougies clôturées pour les tests : la forme exacte que publie le heartbeat."""

from datetime import datetime, timedelta
from decimal import Decimal

from apps.heartbeat.bars import TIMEFRAME_MS, Bar
from apps.market_data.models import Candle

START_MS = 1_700_000_000_000 - 1_700_000_000_000 % TIMEFRAME_MS["4h"]


def closed_candle(symbol: str, timeframe: str, price: str = "100.5", open_ms: int = START_MS) -> dict:
    value = Decimal(price)
    return Bar(symbol, timeframe, open_ms, value, value, value, value, Decimal(1)).to_data("binance")


def flat_candle(open_time: datetime, price: Decimal, symbol: str = "BTC/USDT") -> Candle:
    """La 1m Binance de `symbol` ouverte à `open_time`, à `price` de bout en bout (non enregistrée)."""
    return Candle(
        exchange="binance",
        symbol=symbol,
        timeframe="1m",
        open_time=open_time,
        close_time=open_time + timedelta(seconds=59.999),
        open=price,
        high=price,
        low=price,
        close=price,
        volume=Decimal(1),
    )
