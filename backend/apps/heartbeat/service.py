"""Processus heartbeat : flux Binance → file → pipeline → écriture en fond ; état publié chaque seconde, réglages
relus à chaud."""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

import aiohttp
from django.conf import settings
from django.utils import timezone

from apps.core.channels import HEARTBEAT_CONTROL_GROUP, listen_group
from apps.core.daemon import every
from apps.heartbeat.pipeline import Pipeline
from apps.heartbeat.rest import RestKlines
from apps.heartbeat.status import StatusTracker
from apps.heartbeat.storage import load_symbols
from apps.heartbeat.stream import StreamClient
from apps.heartbeat.writer import CandleWriter

logger = logging.getLogger("aristobot.heartbeat")

MAX_BATCH = 500  # messages traités ensemble quand ils s'accumulent
QUEUE_SIZE = 10_000
STATUS_SECONDS = 1.0


class HeartbeatService:
    def __init__(
        self,
        *,
        ws_url: str | None = None,
        rest_url: str | None = None,
        status_seconds: float = STATUS_SECONDS,
        rest_retry_delay: float = 0.5,
        clock: Callable[[], datetime] = timezone.now,
        **stream_options,
    ):
        self.ws_url = ws_url or settings.BINANCE_WS_URL
        self.rest_url = rest_url or settings.BINANCE_REST_URL
        self.status_seconds = status_seconds
        self.rest_retry_delay = rest_retry_delay
        self.clock = clock
        self.stream_options = stream_options
        self.status = StatusTracker(clock=clock)
        self.writer = CandleWriter(status=self.status)
        self.queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self.stream: StreamClient | None = None
        self.pipeline: Pipeline | None = None

    async def run(self, stop: asyncio.Event) -> None:
        symbols = await load_symbols()
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:
            self.stream = StreamClient(
                self.ws_url, symbols, on_message=self._received, on_state=self._connection, **self.stream_options
            )
            rest = RestKlines(http, self.rest_url, retry_delay=self.rest_retry_delay)
            self.pipeline = Pipeline(
                rest=rest, status=self.status, writer=self.writer, on_server_shutdown=self._server_shutdown
            )
            self.pipeline.set_symbols(symbols)
            await self.status.flush()
            workers = [
                asyncio.create_task(self._process()),
                asyncio.create_task(self.writer.run()),
                asyncio.create_task(self._listen_control(stop)),
                asyncio.create_task(every(self.status_seconds, self._tick, stop)),
            ]
            try:
                await self.stream.run(stop)
            finally:
                for worker in workers:
                    worker.cancel()
                await asyncio.gather(*workers, return_exceptions=True)
                if self.writer.jobs and not await self.writer.write():
                    logger.error(
                        "Arrêt : %d bougie(s) publiée(s) non enregistrée(s), reprises par REST au prochain démarrage",
                        sum(len(bars) for bars, _ in self.writer.jobs),
                    )
                self.status.connected = False
                await self.status.flush()

    async def _tick(self) -> None:
        """Chaque seconde : l'état, et les vagues que Redis avait refusées."""
        await self.status.flush()
        await self.pipeline.send_outbox()

    async def _received(self, message: str | bytes) -> None:
        self.status.last_message_at = self.clock()
        await self.queue.put(message)

    async def _connection(self, connected: bool, reason: str) -> None:
        self.status.connected = connected
        if reason:
            self.status.error(f"flux interrompu : {reason}")
        await self.status.flush()

    async def _server_shutdown(self) -> None:
        await self.stream.reconnect("arrêt annoncé par Binance (serverShutdown)")

    async def _process(self) -> None:
        """Vide la file par lots : un lot d'un message au calme, plusieurs quand ils s'accumulent ; les bougies
        s'écrivent quand elle est vide."""
        while True:
            batch = [await self.queue.get()]
            while len(batch) < MAX_BATCH and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            try:
                await self.pipeline.handle(batch, more_waiting=self._more_waiting)
            except Exception:
                logger.exception("Erreur inattendue sur un lot de %d message(s), le service continue", len(batch))
            if self.queue.empty():
                self.writer.flush()

    def _more_waiting(self) -> bool:
        return not self.queue.empty()

    async def apply_symbols(self, symbols: list[str]) -> None:
        """Suit une nouvelle liste de symboles, sans redémarrer."""
        if symbols == self.status.symbols:
            return
        logger.info("Symboles suivis : %s", ", ".join(symbols))
        self.pipeline.set_symbols(symbols)
        await self.stream.set_symbols(symbols)
        await self.status.flush()

    async def _listen_control(self, stop: asyncio.Event) -> None:
        """Attend les demandes de relecture des réglages (publiées par l'API)."""
        await listen_group(HEARTBEAT_CONTROL_GROUP, stop, self._reload_symbols)

    async def _reload_symbols(self, event: dict) -> None:
        try:
            await self.apply_symbols(await load_symbols())
        except Exception:
            logger.exception("Relecture des symboles suivis impossible")
