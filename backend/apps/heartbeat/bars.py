"""Bougies en mémoire et unités de temps : 1m reçue de Binance, les autres construites à partir d'elle."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache

MINUTE_MS = 60_000
TIMEFRAME_MS = {
    "1m": MINUTE_MS,
    "3m": 3 * MINUTE_MS,
    "5m": 5 * MINUTE_MS,
    "10m": 10 * MINUTE_MS,
    "15m": 15 * MINUTE_MS,
    "1h": 60 * MINUTE_MS,
    "2h": 120 * MINUTE_MS,
    "4h": 240 * MINUTE_MS,
}
TIMEFRAMES = list(TIMEFRAME_MS)
HIGHER_TIMEFRAMES = TIMEFRAMES[1:]
# Toutes les unités divisent 4 h : un début de bloc de 4 h est un début de bougie pour chacune.
LONGEST_MS = TIMEFRAME_MS["4h"]


def bucket_start(time_ms: int, timeframe: str) -> int:
    """Début (ms UTC) de la bougie `timeframe` qui contient `time_ms` ; alignée sur les multiples de l'époque."""
    return time_ms - time_ms % TIMEFRAME_MS[timeframe]


def to_datetime(time_ms: int) -> datetime:
    return datetime.fromtimestamp(time_ms / 1000, tz=UTC)


@lru_cache(maxsize=4096)
def iso_time(time_ms: int) -> str:
    """L'heure ISO UTC d'un instant : les bougies d'une vague partagent les mêmes (écrite une fois par vague)."""
    return to_datetime(time_ms).isoformat()


@dataclass(slots=True)
class Bar:
    """Une bougie clôturée (ou en construction dans l'agrégateur) ; prix et volume en Decimal."""

    symbol: str  # format CCXT, ex. "BTC/USDT"
    timeframe: str
    open_time: int  # ms UTC
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal

    @property
    def close_time(self) -> int:
        """Convention Binance : dernière milliseconde de la bougie (ouverture + durée - 1 ms)."""
        return self.open_time + TIMEFRAME_MS[self.timeframe] - 1

    def to_data(self, exchange: str) -> dict:
        """Le contenu du message `candle` : heures ISO UTC, nombres en texte (exacts)."""
        return {
            "exchange": exchange,
            "symbol": self.symbol,
            "timeframe": self.timeframe,
            "open_time": iso_time(self.open_time),
            "close_time": iso_time(self.close_time),
            "open": str(self.open),
            "high": str(self.high),
            "low": str(self.low),
            "close": str(self.close),
            "volume": str(self.volume),
        }
