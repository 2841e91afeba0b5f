"""L'échantillon partagé de vraies bougies Binance LTC/BTC de janvier 2018 (data/ltcbtc_1m.csv, ltcbtc_5m.csv ;
voir data/README.md) : une seule lecture pour les tests, le bout en bout et les bancs."""

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
OHLCV = ("open", "high", "low", "close", "volume")
BTC_USDT_SCALE = Decimal(1_000_000)  # prix LTC/BTC × 1 000 000 : des prix de BTC/USDT plausibles


def path(timeframe: str) -> Path:
    return DATA / f"ltcbtc_{timeframe}.csv"


def rows(timeframe: str, start: datetime | None = None, end: datetime | None = None) -> list[dict]:
    """Les lignes du fichier (textes, clé `open_time_ms` puis OHLCV), ouvertes dans [start, end) si donnés."""
    low = int(start.timestamp() * 1000) if start else None
    high = int(end.timestamp() * 1000) if end else None
    with open(path(timeframe)) as source:
        return [
            row
            for row in csv.DictReader(source)
            if (low is None or int(row["open_time_ms"]) >= low) and (high is None or int(row["open_time_ms"]) < high)
        ]


def frame(timeframe: str):
    """Le fichier en DataFrame pandas (colonnes du CSV)."""
    import pandas as pd  # lourd : seulement pour les tests qui comparent à pandas / backtesting.py

    return pd.read_csv(path(timeframe))


def btc_usdt_ohlcv(timeframe: str) -> list:
    """Les bougies en `Ohlcv` de la porte des exchanges, prix × 1 000 000, à ranger comme BTC/USDT."""
    from apps.core.services.exchange_data import Ohlcv

    return [
        Ohlcv(
            int(row["open_time_ms"]),
            *(Decimal(row[n]) * BTC_USDT_SCALE for n in ("open", "high", "low", "close")),
            Decimal(row["volume"]),
        )
        for row in rows(timeframe)
    ]
