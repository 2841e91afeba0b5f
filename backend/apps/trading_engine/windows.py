"""Les fenêtres de bougies clôturées du moteur, en mémoire par (symbole, unité) : chargées depuis `Candle`, puis
tenues à jour par les vagues du heartbeat ; relues de la base quand la mémoire est trouée."""

import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from apps.core.channels import ClosedCandle
from apps.heartbeat.bars import TIMEFRAME_MS
from apps.market_data.models import Candle
from apps.trading_engine.threads import EngineThreads

DEFAULT_SIZE = 500
STORED_TIMEOUT = 2.0
EXCHANGE = "binance"  # les bougies du heartbeat
FIELDS = ("time", "open", "high", "low", "close", "volume")


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _text(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Window:
    """Les `size` dernières bougies jusqu'à celle de la vague ; `hole` : le trou qui empêche de décider."""

    arrays: dict[str, np.ndarray]
    hole: str | None

    @property
    def length(self) -> int:
        return len(self.arrays["time"])


def _row(candle) -> tuple:
    return (
        _ms(candle.open_time),
        float(candle.open),
        float(candle.high),
        float(candle.low),
        float(candle.close),
        float(candle.volume),
    )


def _stored_before(symbol: str, timeframe: str, before: datetime, count: int) -> list[tuple]:
    rows = (
        Candle.objects.filter(exchange=EXCHANGE, symbol=symbol, timeframe=timeframe, open_time__lt=before)
        .order_by("-open_time")
        .values_list("open_time", "open", "high", "low", "close", "volume")[:count]
    )
    return [(_ms(t), float(o), float(h), float(lo), float(c), float(v)) for t, o, h, lo, c, v in reversed(rows)]


def latest_candles(keys: set[tuple[str, str]], closed_after: datetime) -> list[ClosedCandle]:
    """La dernière bougie enregistrée de chaque (symbole, unité) de `keys`, si elle est clôturée depuis
    `closed_after` (la reprise des décisions interrompues)."""
    if not keys:
        return []
    rows = (
        Candle.objects.filter(
            exchange=EXCHANGE,
            symbol__in={symbol for symbol, _ in keys},
            timeframe__in={timeframe for _, timeframe in keys},
            close_time__gte=closed_after,
        )
        .order_by("symbol", "timeframe", "-open_time")
        .distinct("symbol", "timeframe")
    )
    return [
        ClosedCandle(
            exchange=row.exchange,
            symbol=row.symbol,
            timeframe=row.timeframe,
            open_time=row.open_time,
            close_time=row.close_time,
            open=row.open,
            high=row.high,
            low=row.low,
            close=row.close,
            volume=row.volume,
        )
        for row in rows
        if (row.symbol, row.timeframe) in keys
    ]


def wait_stored(candles: list[ClosedCandle], *, timeout: float = STORED_TIMEOUT) -> bool:
    """Attend que le heartbeat ait enregistré les bougies de la vague (il publie, puis écrit) : les prix du paper
    et la base lue par les autres services en sont là ; rend False après `timeout` s (la décision suit quand même)."""
    wanted = {(c.symbol, c.timeframe, c.open_time) for c in candles}
    symbols = {c.symbol for c in candles}
    times = {c.open_time for c in candles}
    deadline = time.monotonic() + timeout
    while True:
        found = set(
            Candle.objects.filter(exchange=EXCHANGE, symbol__in=symbols, open_time__in=times).values_list(
                "symbol", "timeframe", "open_time"
            )
        )
        if wanted <= found:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)


class CandleWindows:
    def __init__(self, threads: EngineThreads):
        self.threads = threads
        self._rows: dict[tuple[str, str], deque] = {}

    def add(self, candle: ClosedCandle) -> None:
        """Ajoute la bougie d'une vague à sa fenêtre chargée (une bougie déjà vue ou plus ancienne est ignorée)."""
        rows = self._rows.get((candle.symbol, candle.timeframe))
        if rows is None:
            return
        row = _row(candle)
        if not rows or row[0] > rows[-1][0]:
            rows.append(row)

    async def window(self, candle: ClosedCandle, size: int = DEFAULT_SIZE) -> Window:
        """La fenêtre des `size` bougies finissant à `candle` ; chargée depuis la base au premier besoin (ou si
        elle est trop courte pour `size`). Une fenêtre en mémoire trouée est relue de la base avant de conclure :
        une bougie qu'aucune vague n'a apportée (vague perdue, rattrapage, import) y est peut-être, et la mémoire
        seule garderait le trou jusqu'au redémarrage du moteur."""
        key = (candle.symbol, candle.timeframe)
        rows = self._rows.get(key)
        if rows is None or rows.maxlen < size:
            return _cut(await self._load(candle, size), candle, size)
        window = _cut(rows, candle, size)
        if window.hole:
            window = _cut(await self._load(candle, size), candle, size)
        return window

    async def _load(self, candle: ClosedCandle, size: int) -> deque:
        key = (candle.symbol, candle.timeframe)
        stored = await self.threads.run(_stored_before, candle.symbol, candle.timeframe, candle.open_time, size - 1)
        previous = self._rows.get(key)
        rows = self._rows[key] = deque(stored, maxlen=max(size, previous.maxlen if previous else 0))
        rows.append(_row(candle))
        return rows


def _cut(rows: deque, candle: ClosedCandle, size: int) -> Window:
    chosen = [row for row in rows if row[0] <= _ms(candle.open_time)][-size:]
    arrays = {name: np.array(column) for name, column in zip(FIELDS, zip(*chosen))}
    arrays["time"] = arrays["time"].astype(np.int64)
    return Window(arrays, _hole(arrays["time"], candle))


def _hole(times: np.ndarray, candle: ClosedCandle) -> str | None:
    """Le trou le plus récent de la fenêtre, en français ; None si elle est continue jusqu'à la bougie."""
    step = TIMEFRAME_MS[candle.timeframe]
    if not len(times) or times[-1] != _ms(candle.open_time):
        return f"la bougie {candle.symbol} {candle.timeframe} de {_text(_ms(candle.open_time))} manque"
    gaps = np.flatnonzero(np.diff(times) != step)
    if not len(gaps):
        return None
    first = int(gaps[-1])
    missing = (int(times[first + 1]) - int(times[first])) // step - 1
    return (
        f"{missing} bougie(s) {candle.timeframe} manquante(s) après {_text(int(times[first]))} UTC "
        f"(le heartbeat n'était pas cohérent)"
    )
