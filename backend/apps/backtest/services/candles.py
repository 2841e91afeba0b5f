"""Les bougies d'un backtest : la table Candle d'abord, les parties manquantes demandées à l'exchange par la porte
(`ccxt_manager.fetch_ohlcv`) et enregistrées, pour que le backtest suivant sur cette période reste local.

Le 10m n'existe pas chez Binance : il est construit à partir des 1m par l'agrégateur du heartbeat. Une période
s'entend des bougies clôturées ouvertes dans [début, fin[ ; ce que l'exchange n'a pas non plus reste un trou.
"""

import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from django.db import connection
from django.utils import timezone

from apps.core.services.ccxt_manager import ccxt_manager
from apps.core.services.exchange_data import Ohlcv
from apps.heartbeat.aggregation import Aggregator
from apps.heartbeat.bars import MINUTE_MS, TIMEFRAME_MS, Bar
from apps.market_data.models import Candle

PAPER_CANDLES = "binance"  # l'exchange paper prend ses prix dans les bougies de Binance
POLL_SECONDS = 0.25
BUILT_FROM_MINUTES = {"10m"}
FIELDS = ("time", "open", "high", "low", "close", "volume")
SAVE_CHUNK = 1000
SAVED_COLUMNS = ("exchange", "symbol", "timeframe", "open_time", "close_time", "open", "high", "low", "close", "volume")


@dataclass
class CandleSet:
    """Les bougies trouvées (colonnes numpy : time en ms, OHLCV en float64), les trous restants [(début, fin)]
    en ms, et `cancelled` si l'annulation est arrivée pendant le téléchargement."""

    arrays: dict[str, np.ndarray]
    gaps: list[tuple[int, int]] = field(default_factory=list)
    cancelled: bool = False

    @property
    def count(self) -> int:
        return len(self.arrays["time"])


def candle_exchange(broker) -> str:
    """Le nom d'exchange des bougies du broker dans la table Candle."""
    return PAPER_CANDLES if broker is None or broker.is_paper else broker.market_source


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(time_ms: int) -> datetime:
    return datetime.fromtimestamp(time_ms / 1000, tz=UTC)


def bounds_ms(start: datetime, end: datetime, timeframe: str, *, now: datetime | None = None) -> tuple[int, int]:
    """[première ouverture ≥ début, fin[ en ms, la fin ramenée à la dernière bougie clôturée."""
    step = TIMEFRAME_MS[timeframe]
    first = -(-to_ms(start) // step) * step
    closed_until = to_ms(now or timezone.now()) // step * step
    return first, min(-(-to_ms(end) // step) * step, closed_until)


def stored_candles(*, exchange: str, symbol: str, timeframe: str, start_ms: int, end_ms: int) -> dict[str, np.ndarray]:
    """Les bougies enregistrées ouvertes dans [start_ms, end_ms[, dans l'ordre, en colonnes."""
    table = connection.ops.quote_name(Candle._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (extract(epoch from open_time) * 1000)::bigint, open::float8, high::float8, low::float8, "
            f"close::float8, volume::float8 FROM {table} WHERE exchange = %s AND symbol = %s AND timeframe = %s "
            "AND open_time >= %s AND open_time < %s ORDER BY open_time",
            [exchange, symbol, timeframe, from_ms(start_ms), from_ms(end_ms)],
        )
        rows = cursor.fetchall()
    columns = np.array(rows, dtype=np.float64).reshape(-1, 6).T
    return {name: columns[i].astype(np.int64) if name == "time" else columns[i].copy() for i, name in enumerate(FIELDS)}


def missing_spans(times: np.ndarray, *, start_ms: int, end_ms: int, step: int) -> list[tuple[int, int]]:
    """Les plages [début, fin[ de bougies absentes de `times` (ouvertures triées) dans [start_ms, end_ms[."""
    edges = np.concatenate([[start_ms - step], np.asarray(times, dtype=np.int64), [end_ms]])
    holes = np.flatnonzero(np.diff(edges) > step)
    return [(int(edges[i] + step), int(edges[i + 1])) for i in holes]


def save_candles(*, exchange: str, symbol: str, timeframe: str, candles: list[Ohlcv]) -> None:
    """Enregistre les bougies absentes de la table (écriture idempotente sur la clé unique), par blocs de
    SAVE_CHUNK lignes en une requête chacun."""
    step, now = TIMEFRAME_MS[timeframe], timezone.now()
    table = connection.ops.quote_name(Candle._meta.db_table)
    names = [*SAVED_COLUMNS, "received_at"]
    columns = ", ".join(connection.ops.quote_name(Candle._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        for first in range(0, len(candles), SAVE_CHUNK):
            chunk = candles[first : first + SAVE_CHUNK]
            row = "(" + ", ".join(["%s"] * len(names)) + ")"
            params = []
            for c in chunk:
                params += [exchange, symbol, timeframe, from_ms(c.open_time_ms), from_ms(c.open_time_ms + step - 1)]
                params += [c.open, c.high, c.low, c.close, c.volume, now]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(chunk))} "
                "ON CONFLICT (exchange, symbol, timeframe, open_time) DO NOTHING",
                params,
            )


def built_from_minutes(symbol: str, timeframe: str, minutes: list[Ohlcv]) -> list[Ohlcv]:
    """Les bougies `timeframe` complètes construites des 1m, comme le heartbeat (reprise après une minute perdue)."""
    aggregator, built, previous = Aggregator(), [], None
    for minute in minutes:
        if previous is None or minute.open_time_ms != previous + MINUTE_MS:
            aggregator.restart(minute.open_time_ms)
        previous = minute.open_time_ms
        bar = Bar(symbol, "1m", minute.open_time_ms, minute.open, minute.high, minute.low, minute.close, minute.volume)
        built += [b for b in aggregator.add(bar) if b.timeframe == timeframe]
    return [Ohlcv(b.open_time, b.open, b.high, b.low, b.close, b.volume) for b in built]


def _fetch(broker, symbol: str, timeframe: str, span, on_reached, should_cancel) -> list[Ohlcv] | None:
    """Une plage demandée à la porte ; la progression est relevée toutes les POLL_SECONDS ; None si annulé."""
    reached = {"ms": span[0]}
    future = ccxt_manager.submit(
        ccxt_manager.fetch_ohlcv(
            broker, symbol, timeframe, since_ms=span[0], until_ms=span[1], on_page=lambda ms: reached.update(ms=ms)
        )
    )
    while True:
        try:
            return future.result(timeout=POLL_SECONDS)
        except concurrent.futures.TimeoutError:
            on_reached(reached["ms"])
            if should_cancel():
                future.cancel()
                return None


def download(
    *, broker, exchange: str, symbol: str, timeframe: str, spans, on_progress: Callable, should_cancel: Callable
) -> bool:
    """Télécharge et enregistre les plages manquantes ; `on_progress(fraction)` ; faux si annulé."""
    total = sum(end - start for start, end in spans) or 1
    done = 0
    source = "1m" if timeframe in BUILT_FROM_MINUTES else timeframe
    for span in spans:

        def reached(ms: int, offset: int = done - span[0]) -> None:
            on_progress((offset + ms) / total)

        fetched = _fetch(broker, symbol, source, span, reached, should_cancel)
        if fetched is None:
            return False
        save_candles(exchange=exchange, symbol=symbol, timeframe=source, candles=fetched)
        if source != timeframe:
            built = built_from_minutes(symbol, timeframe, fetched)
            save_candles(exchange=exchange, symbol=symbol, timeframe=timeframe, candles=built)
        done += span[1] - span[0]
        on_progress(done / total)
    return True


def load_candles(
    *,
    broker,
    symbol: str,
    timeframe: str,
    start: datetime,
    end: datetime,
    on_progress: Callable = lambda fraction: None,
    should_cancel: Callable = lambda: False,
) -> CandleSet:
    """Les bougies de la période : la table, puis l'exchange du broker pour les manques (sauf broker paper)."""
    exchange = candle_exchange(broker)
    start_ms, end_ms = bounds_ms(start, end, timeframe)
    step = TIMEFRAME_MS[timeframe]
    query = {"exchange": exchange, "symbol": symbol, "timeframe": timeframe, "start_ms": start_ms, "end_ms": end_ms}
    arrays = stored_candles(**query)
    spans = missing_spans(arrays["time"], start_ms=start_ms, end_ms=end_ms, step=step)
    if spans and broker is not None and not broker.is_paper:
        on_progress(0.0)
        if not download(
            broker=broker,
            exchange=exchange,
            symbol=symbol,
            timeframe=timeframe,
            spans=spans,
            on_progress=on_progress,
            should_cancel=should_cancel,
        ):
            return CandleSet(arrays, spans, cancelled=True)
        arrays = stored_candles(**query)
        spans = missing_spans(arrays["time"], start_ms=start_ms, end_ms=end_ms, step=step)
    return CandleSet(arrays, spans)


def stored_periods(*, exchange: str, symbol: str, timeframe: str, limit: int = 12) -> list[dict]:
    """Les plages continues de bougies enregistrées, les plus récentes d'abord : [{start, end, candles}] (fin
    exclue : ouverture de la dernière bougie + une unité)."""
    step = TIMEFRAME_MS[timeframe]
    table = connection.ops.quote_name(Candle._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(t), max(t), count(*) FROM (SELECT (extract(epoch from open_time) * 1000)::bigint AS t, "
            "(extract(epoch from open_time) * 1000)::bigint - row_number() OVER (ORDER BY open_time) * %s AS island "
            f"FROM {table} WHERE exchange = %s AND symbol = %s AND timeframe = %s) AS runs "
            "GROUP BY island ORDER BY min(t) DESC LIMIT %s",
            [step, exchange, symbol, timeframe, limit],
        )
        rows = cursor.fetchall()
    return [{"start": from_ms(first), "end": from_ms(last + step), "candles": count} for first, last, count in rows]
