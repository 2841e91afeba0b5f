"""La porte REST de Binance pour le rattrapage : GET /api/v3/klines en 1m, paginé, avec reprises."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

import aiohttp

from apps.core.symbols import market_id
from apps.heartbeat.bars import MINUTE_MS, Bar
from apps.heartbeat.binance import INTERVAL, MalformedMessage, parse_rest_kline

logger = logging.getLogger("aristobot.heartbeat")

PAGE_LIMIT = 1000  # maximum accepté par Binance
RETRY_STATUSES = {418, 429, 500, 502, 503, 504}


class BackfillError(Exception):
    """Rattrapage impossible (REST injoignable, refus, réponse invalide) : le trou est noté, le flux continue."""


class RestKlines:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        *,
        attempts: int = 3,
        retry_delay: float = 0.5,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.session = session
        self.url = f"{base_url.rstrip('/')}/api/v3/klines"
        self.attempts = attempts
        self.retry_delay = retry_delay
        self.sleep = sleep

    async def fetch(self, symbol: str, start_ms: int, end_ms: int) -> list[Bar]:
        """Retourne les 1m clôturées ouvertes dans [start_ms, end_ms[, dans l'ordre ; lève BackfillError."""
        bars: list[Bar] = []
        cursor = start_ms
        while cursor < end_ms:
            params = {
                "symbol": market_id(symbol),
                "interval": INTERVAL,
                "startTime": cursor,
                "endTime": end_ms - 1,
                "limit": PAGE_LIMIT,
            }
            rows = await self._get(params)
            try:
                page = [parse_rest_kline(symbol, row) for row in rows]
            except MalformedMessage as exc:
                raise BackfillError(f"réponse klines invalide : {exc}") from exc
            page = [bar for bar in page if cursor <= bar.open_time < end_ms]
            if not page:
                break
            bars.extend(page)
            cursor = page[-1].open_time + MINUTE_MS
            if len(rows) < PAGE_LIMIT:
                break
        return bars

    async def _get(self, params: dict) -> list:
        """Une requête, reprise sur erreur réseau, 429/418 ou 5xx ; les autres refus ne sont pas repris."""
        error = ""
        for attempt in range(self.attempts):
            if attempt:
                await self.sleep(self.retry_delay * 2 ** (attempt - 1))
            try:
                async with self.session.get(self.url, params=params) as response:
                    if response.status == 200:
                        rows = await response.json(content_type=None)
                        if not isinstance(rows, list):
                            raise BackfillError("réponse klines invalide : liste attendue")
                        return rows
                    error = f"HTTP {response.status} : {(await response.text())[:200]}"
                    if response.status not in RETRY_STATUSES:
                        break
            except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
                error = f"{type(exc).__name__} : {exc}"
            logger.warning("Rattrapage REST %s, essai %d/%d : %s", params["symbol"], attempt + 1, self.attempts, error)
        raise BackfillError(f"klines {params['symbol']} indisponibles ({error})")
