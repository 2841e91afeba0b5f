"""/api/heartbeat/candles/latest/ : la dernière bougie enregistrée par symbole suivi et par unité."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from apps.heartbeat.models import HeartbeatConfig
from apps.market_data.models import Candle

pytestmark = pytest.mark.django_db
URL = "/api/heartbeat/candles/latest/"
T0 = datetime(2024, 3, 1, 23, 0, tzinfo=UTC)


def store(symbol: str, timeframe: str, minutes: int, close: str, exchange: str = "binance") -> None:
    open_time = T0 + timedelta(minutes=minutes)
    Candle.objects.create(
        exchange=exchange,
        symbol=symbol,
        timeframe=timeframe,
        open_time=open_time,
        close_time=open_time + timedelta(seconds=59.999),
        open=Decimal(1),
        high=Decimal(3),
        low=Decimal("0.5"),
        close=Decimal(close),
        volume=Decimal(10),
    )


def test_latest_closed_candle_per_followed_symbol_and_timeframe(alice_api):
    HeartbeatConfig.objects.update_or_create(pk=1, defaults={"symbols": ["BTC/USDT", "ETH/USDT"]})
    for minutes, close in [(0, "1"), (1, "2"), (2, "3")]:
        store("BTC/USDT", "1m", minutes, close)
    store("BTC/USDT", "5m", 0, "7")
    store("ETH/USDT", "1m", 0, "9")
    store("SOL/USDT", "1m", 5, "11")  # symbole non suivi
    store("BTC/USDT", "1m", 9, "13", exchange="kraken")

    body = alice_api.get(URL).json()
    assert [(c["symbol"], c["timeframe"], c["close"]) for c in body] == [
        ("BTC/USDT", "1m", "3.000000000000"),
        ("BTC/USDT", "5m", "7.000000000000"),
        ("ETH/USDT", "1m", "9.000000000000"),
    ]
    assert body[0]["open_time"] == "2024-03-01T23:02:00Z" and body[0]["exchange"] == "binance"


def test_anonymous_cannot_read_it(api, prod_mode):
    assert api.get(URL).status_code == 403
