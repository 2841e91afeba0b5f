"""Moteur de trading : écoute les bougies clôturées du groupe `heartbeat`, vérifie les positions chaque minute."""
import asyncio
import logging

from channels.layers import get_channel_layer

from apps.core.channels import HEARTBEAT_GROUP
from apps.core.daemon import every
from apps.core.services.ccxt_manager import ccxt_manager

logger = logging.getLogger("aristobot.engine")

POSITION_CHECK_SECONDS = 60


class TradingEngine:
    def __init__(self):
        self.layer = get_channel_layer()
        self.candles_seen = 0

    async def on_candle(self, candle: dict) -> None:
        """Point d'entrée de chaque bougie clôturée ; les stratégies s'y brancheront."""
        self.candles_seen += 1
        logger.debug("Bougie reçue %s %s", candle.get("symbol"), candle.get("timeframe"))

    async def check_positions(self) -> None:
        """Contrôle périodique des positions ouvertes (aucune tant que les stratégies n'existent pas)."""
        logger.debug("Contrôle des positions : %d bougies reçues", self.candles_seen)

    async def listen(self, stop: asyncio.Event) -> None:
        channel = await self.layer.new_channel("engine.")
        await self.layer.group_add(HEARTBEAT_GROUP, channel)
        try:
            while not stop.is_set():
                receive = asyncio.ensure_future(self.layer.receive(channel))
                stopped = asyncio.ensure_future(stop.wait())
                done, _ = await asyncio.wait({receive, stopped}, return_when=asyncio.FIRST_COMPLETED)
                if receive in done:
                    event = receive.result()
                    await self.on_candle(event.get("message", {}).get("data", {}))
                else:
                    receive.cancel()
                stopped.cancel()
        finally:
            await self.layer.group_discard(HEARTBEAT_GROUP, channel)

    async def run(self, stop: asyncio.Event) -> None:
        preloaded = await ccxt_manager.preload_all()
        logger.info("Brokers préchargés : %(loaded)d prêts, %(failed)d en échec", preloaded)
        try:
            await asyncio.gather(self.listen(stop), every(POSITION_CHECK_SECONDS, self.check_positions, stop))
        finally:
            await ccxt_manager.close_all()
