"""Connexion au flux combiné de Binance (`websockets`) : abonnements, silence, relève, reconnexion.

Les pings de Binance reçoivent leur pong de la bibliothèque elle-même, qui lit la connexion en tâche
de fond, même entre deux `recv()`.
"""

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException

from apps.heartbeat.binance import method_message, stream_url

logger = logging.getLogger("aristobot.heartbeat")

STALL_SECONDS = 30  # sans aucun message, la connexion est tenue pour morte
MAX_AGE_SECONDS = 23 * 3600 + 50 * 60  # Binance coupe à 24 h : relève avant
BACKOFF_START, BACKOFF_MAX = 1.0, 30.0
RENEWAL = "relève de la connexion avant la coupure de 24 h"


class StreamClient:
    """Lit le flux tant que `stop` n'est pas levé ; chaque message part vers `on_message`, chaque
    changement d'état vers `on_state(connecté, raison)`."""

    def __init__(
        self,
        base_url: str,
        symbols: list[str],
        *,
        on_message: Callable[[str | bytes], Awaitable[None]],
        on_state: Callable[[bool, str], Awaitable[None]],
        stall_seconds: float = STALL_SECONDS,
        max_age_seconds: float = MAX_AGE_SECONDS,
        backoff_start: float = BACKOFF_START,
        backoff_max: float = BACKOFF_MAX,
        sleep: Callable[[float, asyncio.Event], Awaitable[None]] | None = None,
        jitter: Callable[[], float] = random.random,
    ):
        self.base_url = base_url
        self.symbols = list(symbols)
        self.on_message = on_message
        self.on_state = on_state
        self.stall_seconds = stall_seconds
        self.max_age_seconds = max_age_seconds
        self.backoff_start, self.backoff_max = backoff_start, backoff_max
        self.sleep = sleep or _interruptible_sleep
        self.jitter = jitter
        self.ws: ClientConnection | None = None
        self.subscribed: list[str] = []
        self.close_reason = ""
        self.request_id = 0
        self.renewing: asyncio.Future | None = None  # fermeture de relève en cours
        self.closing: asyncio.Future | None = None  # fermeture après un silence
        self._last_message = 0.0
        self._watchdog: asyncio.TimerHandle | None = None

    async def run(self, stop: asyncio.Event) -> None:
        delay = self.backoff_start
        while not stop.is_set():
            session = asyncio.create_task(self._session())
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({session, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not session.done():
                session.cancel()  # arrêt du service : la connexion se ferme en sortant de son `async with`
                await asyncio.gather(session, return_exceptions=True)
                break
            received, reason = session.result()
            await self.on_state(False, reason)
            if reason == RENEWAL:
                logger.info("Flux Binance : %s", RENEWAL)
                continue
            if received:
                delay = self.backoff_start
            # Attente « jitterée » : entre la moitié et la totalité du délai courant.
            wait = delay * (0.5 + self.jitter() / 2)
            logger.warning("Flux Binance interrompu (%s) : reconnexion dans %.1f s", reason, wait)
            await self.sleep(wait, stop)
            delay = min(delay * 2, self.backoff_max)

    async def _session(self) -> tuple[bool, str]:
        """Une connexion, de l'ouverture à la fermeture ; retourne (messages reçus ?, raison de la fin)."""
        received = False
        self.close_reason = ""
        try:
            # Sans permessage-deflate : des messages de quelques centaines d'octets, que la compression ralentit
            # (compresser et décompresser chaque kline coûte plus que les octets gagnés).
            async with connect(
                stream_url(self.base_url, self.symbols),
                open_timeout=10,
                close_timeout=2,
                max_size=2**22,
                compression=None,
            ) as ws:
                self.ws, self.subscribed = ws, list(self.symbols)
                logger.info("Connecté au flux Binance : %s", ", ".join(self.symbols))
                await self.on_state(True, "")
                await self._sync_subscriptions()
                loop = asyncio.get_running_loop()
                renewal = loop.call_later(self.max_age_seconds, self._renew, ws)
                # Une minuterie par période de silence, pas une par message : elle se replace sur le dernier reçu.
                self._last_message = loop.time()
                self._watchdog = loop.call_later(self.stall_seconds, self._check_stall, ws)
                try:
                    while True:
                        message = await ws.recv()
                        self._last_message = loop.time()
                        received = True
                        await self.on_message(message)
                finally:
                    renewal.cancel()
                    self._watchdog.cancel()
        except ConnectionClosed as exc:
            self.close_reason = self.close_reason or f"connexion fermée par le serveur ({exc})"
        except (OSError, TimeoutError, WebSocketException) as exc:
            self.close_reason = self.close_reason or f"{type(exc).__name__} : {exc}"
        finally:
            self.ws = None
        return received, self.close_reason

    def _check_stall(self, ws: ClientConnection) -> None:
        loop = asyncio.get_running_loop()
        silent = loop.time() - self._last_message
        if silent < self.stall_seconds:
            self._watchdog = loop.call_later(self.stall_seconds - silent, self._check_stall, ws)
            return
        self.close_reason = f"aucun message depuis {self.stall_seconds:g} s"
        self.closing = asyncio.ensure_future(ws.close())

    def _renew(self, ws: ClientConnection) -> None:
        self.close_reason = RENEWAL
        self.renewing = asyncio.ensure_future(ws.close())

    async def reconnect(self, reason: str) -> None:
        """Ferme la connexion courante (ex. `serverShutdown`) ; `run` en ouvre une autre."""
        if self.ws is not None:
            self.close_reason = reason
            await self.ws.close()

    async def set_symbols(self, symbols: list[str]) -> None:
        """Change les symboles suivis sans se reconnecter (SUBSCRIBE / UNSUBSCRIBE)."""
        self.symbols = list(symbols)
        await self._sync_subscriptions()

    async def _sync_subscriptions(self) -> None:
        ws = self.ws
        if ws is None:
            return  # la prochaine connexion prendra la liste à jour
        added = [s for s in self.symbols if s not in self.subscribed]
        removed = [s for s in self.subscribed if s not in self.symbols]
        try:
            for method, symbols in (("SUBSCRIBE", added), ("UNSUBSCRIBE", removed)):
                if symbols:
                    self.request_id += 1
                    await ws.send(method_message(method, symbols, self.request_id))
                    logger.info("Flux Binance : %s %s", method, ", ".join(symbols))
        except ConnectionClosed:
            return
        self.subscribed = list(self.symbols)


async def _interruptible_sleep(seconds: float, stop: asyncio.Event) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
