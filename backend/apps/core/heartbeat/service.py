"""Service heartbeat : squelette du processus ; la lecture du flux Binance arrive avec son ticket."""
import asyncio
import logging

from asgiref.sync import sync_to_async

from apps.core.models import HeartbeatStatus

logger = logging.getLogger("aristobot.heartbeat")


@sync_to_async
def _mark_disconnected(error: str) -> None:
    HeartbeatStatus.objects.update_or_create(pk=1, defaults={"connected": False, "last_error": error})


class HeartbeatService:
    async def run(self, stop: asyncio.Event) -> None:
        await _mark_disconnected("Lecture du flux Binance pas encore implémentée.")
        logger.warning("Heartbeat : lecture du flux Binance pas encore implémentée, en attente.")
        await stop.wait()
