"""Boucle des services de fond (heartbeat, moteur) : arrêt propre sur SIGINT/SIGTERM, signes de vie en base."""

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable

from channels.db import database_sync_to_async
from django.conf import settings

from apps.core import liveness
from apps.core.channels import listen_group

logger = logging.getLogger("aristobot.daemon")
# Windows : Ctrl-C, et Ctrl-Break que le superviseur envoie au groupe du processus (SIGTERM n'y arrive jamais).
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGBREAK") if hasattr(signal, name))


def run_service(name: str, main: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    """Exécute `main(stop)` dans sa propre boucle ; `stop` est levé au premier signal d'arrêt (STOP_SIGNALS)."""

    async def runner() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in STOP_SIGNALS:
            try:
                loop.add_signal_handler(sig, stop.set)
            except NotImplementedError:  # Windows : pas de add_signal_handler
                signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
        logger.info("%s démarré", name)
        beats = asyncio.create_task(_beat(name, stop))
        try:
            await main(stop)
        finally:
            beats.cancel()
        try:
            await database_sync_to_async(liveness.service_stopped, thread_sensitive=False)(name)
        except Exception:
            logger.warning("Arrêt de %s non noté (base injoignable ?)", name)
        logger.info("%s arrêté proprement", name)

    asyncio.run(runner())


async def _beat(name: str, stop: asyncio.Event) -> None:
    """Démarrage puis battements, relus par le chien de garde ; une base absente ne gêne pas le service."""
    step = liveness.service_started
    while not stop.is_set():
        try:
            await database_sync_to_async(step, thread_sensitive=False)(name)
            step = liveness.service_alive
        except Exception:
            logger.warning("Signe de vie de %s non noté (base injoignable ?)", name)
        try:
            await asyncio.wait_for(stop.wait(), timeout=settings.SERVICE_BEAT_SECONDS)
        except TimeoutError:
            pass


async def every(interval: float, step: Callable[[], Awaitable[object]], stop: asyncio.Event) -> None:
    """Appelle `step` puis attend `interval` secondes, jusqu'à `stop` ; une erreur d'étape est journalisée."""
    while not stop.is_set():
        try:
            await step()
        except Exception:
            logger.exception("Erreur dans une étape de service")
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            pass


async def on_wake_or_every(group: str, interval: float, step: Callable[[], Awaitable[object]], stop: asyncio.Event):
    """Appelle `step` à chaque réveil publié sur `group` et au moins toutes les `interval` secondes (Redis
    absent : l'interrogation suffit), jusqu'à `stop` (les workers des webhooks et des backtests)."""
    wake = asyncio.Event()

    async def on_wake(event: dict) -> None:
        wake.set()

    listener = asyncio.create_task(listen_group(group, stop, on_wake))
    try:
        while not stop.is_set():
            wake.clear()
            await step()
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
            await asyncio.wait(waits, timeout=interval, return_when=asyncio.FIRST_COMPLETED)
            for waiting in waits:
                waiting.cancel()
    finally:
        listener.cancel()
