"""Accès base du heartbeat : quelques fonctions nommées, appelées depuis la boucle via sync_to_async."""

import functools
from collections.abc import Callable
from datetime import datetime

from asgiref.sync import sync_to_async
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apps.heartbeat.bars import Bar, to_datetime
from apps.heartbeat.binance import EXCHANGE
from apps.heartbeat.followers import requested_symbols
from apps.heartbeat.models import HeartbeatConfig, HeartbeatStatus
from apps.heartbeat.status_bar import status_snapshot
from apps.market_data.models import Candle

CHUNK = 500
COLUMNS = [
    "exchange",
    "symbol",
    "timeframe",
    "open_time",
    "close_time",
    "open",
    "high",
    "low",
    "close",
    "volume",
    "received_at",
]


def reconnect_on_error(function: Callable) -> Callable:
    """Le processus vit longtemps : après une erreur de base, la connexion est refermée et sera rouverte."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except DatabaseError:
            connection.close()
            raise

    return wrapper


@reconnect_on_error
@transaction.atomic
def insert_new_bars(bars: list[Bar]) -> list[Bar]:
    """Enregistre les bougies absentes de la base, toutes ou aucune ; retourne celles réellement ajoutées, dans
    l'ordre donné.

    Idempotent sur (exchange, symbol, timeframe, open_time) : une bougie déjà là n'est ni modifiée ni rendue.
    """
    inserted: set[tuple[str, str, datetime]] = set()
    now = timezone.now()
    table = connection.ops.quote_name(Candle._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(Candle._meta.get_field(name).column) for name in COLUMNS)
    for first in range(0, len(bars), CHUNK):
        chunk = bars[first : first + CHUNK]
        placeholders = ", ".join(["(" + ", ".join(["%s"] * len(COLUMNS)) + ")"] * len(chunk))
        params = []
        for bar in chunk:
            params += [
                EXCHANGE,
                bar.symbol,
                bar.timeframe,
                to_datetime(bar.open_time),
                to_datetime(bar.close_time),
                bar.open,
                bar.high,
                bar.low,
                bar.close,
                bar.volume,
                now,
            ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {placeholders} "
                "ON CONFLICT (exchange, symbol, timeframe, open_time) DO NOTHING "
                "RETURNING symbol, timeframe, open_time",
                params,
            )
            inserted.update(cursor.fetchall())
    return [bar for bar in bars if (bar.symbol, bar.timeframe, to_datetime(bar.open_time)) in inserted]


@reconnect_on_error
def last_minute_open(symbol: str) -> int | None:
    """Ouverture (ms) de la dernière 1m enregistrée pour `symbol`, ou None."""
    last = (
        Candle.objects.filter(exchange=EXCHANGE, symbol=symbol, timeframe="1m")
        .order_by("-open_time")
        .values_list("open_time", flat=True)
        .first()
    )
    return int(last.timestamp() * 1000) if last else None


@reconnect_on_error
def followed_symbols() -> list[str]:
    """Les symboles des réglages, puis ceux que demandent les stratégies actives (sans doublon)."""
    return list(dict.fromkeys([*HeartbeatConfig.load().symbols, *requested_symbols()]))


@reconnect_on_error
def save_status(fields: dict) -> dict:
    """Écrit la ligne HeartbeatStatus ; retourne ce que montre la barre de statut."""
    HeartbeatStatus.objects.update_or_create(pk=1, defaults=fields)
    return status_snapshot()


store_bars = sync_to_async(insert_new_bars)
last_stored_minute = sync_to_async(last_minute_open)
load_symbols = sync_to_async(followed_symbols)
persist_status = sync_to_async(save_status)
