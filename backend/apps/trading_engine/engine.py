"""Moteur de trading : écoute les vagues de bougies clôturées du groupe `heartbeat`, vérifie les positions chaque
minute."""
import asyncio
import functools
import logging

from channels.layers import get_channel_layer

from apps.core.channels import HEARTBEAT_GROUP
from apps.core.daemon import every
from apps.core.services.ccxt_manager import ccxt_manager

logger = logging.getLogger("aristobot.engine")

POSITION_CHECK_SECONDS = 60
REJOIN_SECONDS = 3600  # channels_redis oublie un membre de groupe au bout d'un jour : on le redevient chaque heure


class TradingEngine:
    def __init__(self, *, rejoin_seconds: float = REJOIN_SECONDS):
        self.layer = get_channel_layer()
        self.rejoin_seconds = rejoin_seconds
        self.channel: str | None = None
        self.candles_seen = 0

    async def on_candle(self, candle: dict) -> None:
        """Point d'entrée de chaque bougie clôturée ; les stratégies s'y brancheront."""
        self.candles_seen += 1
        logger.debug("Bougie reçue %s %s", candle.get("symbol"), candle.get("timeframe"))

    async def check_positions(self) -> None:
        """Contrôle périodique des positions ouvertes (aucune tant que les stratégies n'existent pas)."""
        logger.debug("Contrôle des positions : %d bougies reçues", self.candles_seen)

    async def listen(self, stop: asyncio.Event) -> None:
        """Rejoint le groupe `heartbeat` (et le rejoint chaque heure) ; chaque vague reçue passe à `on_candle`,
        une bougie à la fois, dans l'ordre du message."""
        self.channel = await self.layer.new_channel("engine.")
        join = functools.partial(self.layer.group_add, HEARTBEAT_GROUP, self.channel)
        try:
            await asyncio.gather(every(self.rejoin_seconds, join, stop), self._receive(stop))
        finally:
            await self.layer.group_discard(HEARTBEAT_GROUP, self.channel)

    async def _receive(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            receive = asyncio.ensure_future(self.layer.receive(self.channel))
            stopped = asyncio.ensure_future(stop.wait())
            done, _ = await asyncio.wait({receive, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if receive in done:
                for candle in receive.result().get("message", {}).get("data", {}).get("candles", []):
                    await self.on_candle(candle)
            else:
                receive.cancel()
            stopped.cancel()

    async def run(self, stop: asyncio.Event) -> None:
        preloaded = await ccxt_manager.preload_all()
        logger.info("Brokers préchargés : %(loaded)d prêts, %(failed)d en échec", preloaded)
        try:
            await asyncio.gather(self.listen(stop), every(POSITION_CHECK_SECONDS, self.check_positions, stop))
        finally:
            await ccxt_manager.close_all()
