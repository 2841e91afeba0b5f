"""Bougies stockées pour le « Tester » : la série la plus récente de l'unité demandée."""

import numpy as np

from apps.market_data.models import Candle


def latest_candles(*, timeframe: str, limit: int) -> tuple[str | None, dict[str, np.ndarray] | None]:
    """(symbole, tableaux time/open/high/low/close/volume) des `limit` dernières bougies, ou (None, None)."""
    latest = Candle.objects.filter(timeframe=timeframe).order_by("-open_time").values("exchange", "symbol").first()
    if latest is None:
        return None, None
    rows = list(
        Candle.objects.filter(timeframe=timeframe, **latest)
        .order_by("-open_time")
        .values_list("open_time", "open", "high", "low", "close", "volume")[:limit]
    )
    rows.reverse()
    return latest["symbol"], {
        "time": np.array([int(row[0].timestamp() * 1000) for row in rows], dtype=np.int64),
        **{
            name: np.array([float(row[k]) for row in rows], dtype=np.float64)
            for k, name in enumerate(("open", "high", "low", "close", "volume"), start=1)
        },
    }
