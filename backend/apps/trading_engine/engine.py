"""Moteur de trading : écoute les vagues de bougies clôturées du groupe `heartbeat` (chacune passe au cycle des
stratégies, `cycle.py`), vérifie les positions chaque minute, prend les instantanés de solde (Statistiques),
recalcule l'état des limites de risque.

Une base absente n'arrête pas le moteur : la vague en échec est journalisée, ses décisions restent à prendre et
sont reprises (`StrategyCycle.catch_up`) toutes les CATCH_UP_SECONDS jusqu'au retour de la base, tant que leurs
bougies sont fraîches ; de même au démarrage, pour une vague qu'un arrêt brutal a interrompue."""

import asyncio
import contextlib
import gc
import logging

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from apps.brokers.selectors import all_brokers
from apps.core import liveness
from apps.core.channels import GROUP_REJOIN_SECONDS, HEARTBEAT_GROUP, ClosedCandle, decode_candles, listen_group
from apps.core.daemon import every
from apps.core.outage import Outage
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders.reconciler import RECONCILER, reconcile
from apps.orders.watch import check_candles
from apps.risk.services import refresh_all as refresh_risk_limits
from apps.stats.services.snapshots import SnapshotTaker
from apps.trading_engine.cycle import StrategyCycle

logger = logging.getLogger("aristobot.engine")

POSITION_CHECK_SECONDS = 60
CATCH_UP_SECONDS = 2.0
# Ramasse-miettes moins fréquent (défaut 700, 10, 10) : une vague crée des dizaines de milliers d'objets, et chaque
# passage complet arrêtait le moteur jusqu'à 35 ms au milieu des envois.
GC_THRESHOLDS = (50_000, 20, 20)


class TradingEngine:
    def __init__(self, *, rejoin_seconds: float = GROUP_REJOIN_SECONDS, cycle: StrategyCycle | None = None):
        self.layer = get_channel_layer()
        self.rejoin_seconds = rejoin_seconds
        self.candles_seen = 0
        self.cycle = cycle or StrategyCycle()
        self.snapshots = SnapshotTaker()
        self.outage = Outage(logger, "Vague de bougies non traitée (base injoignable ?)")

    async def on_candle(self, candle: ClosedCandle) -> None:
        """Chaque bougie clôturée de la vague, dans l'ordre du message."""
        self.candles_seen += 1
        logger.debug("Bougie reçue %s %s", candle.symbol, candle.timeframe)

    async def check_watched(self, candles: list[ClosedCandle]) -> None:
        """Positions surveillées : stop-loss / take-profit franchis par les bougies 1m, avant le cycle de la vague."""
        await self.cycle.threads.run(check_candles, candles)

    async def reconcile(self) -> None:
        """Une passe du réconciliateur (fils du moteur, pas le fil partagé des sync_to_async), puis son signe de vie,
        relu par le chien de garde (WATCHDOG_RECONCILER_SECONDS)."""
        await self.cycle.threads.run(reconcile)
        await database_sync_to_async(liveness.work_done, thread_sensitive=False)(RECONCILER)

    async def check_positions(self) -> None:
        """Au démarrage puis chaque minute : le réconciliateur (ordres, positions, protection), les instantanés
        de solde (leur calendrier est celui de `stats.services.snapshots`), puis l'état des limites de risque."""
        started = timezone.now()
        await self.reconcile()
        await self.snapshots.check(await all_brokers(), now=started)
        await self.cycle.threads.run(refresh_risk_limits)

    async def _checks(self, stop: asyncio.Event) -> None:
        """L'instantané de démarrage (pendant que le moteur écoute déjà), puis le contrôle de chaque minute."""
        try:
            await self.snapshots.start(await all_brokers(), now=timezone.now())
        except Exception:
            logger.exception("Instantanés de démarrage impossibles")
        await every(POSITION_CHECK_SECONDS, self.check_positions, stop)

    async def listen(self, stop: asyncio.Event) -> None:
        """Écoute le groupe `heartbeat` ; chaque vague reçue passe à `on_wave`."""
        await listen_group(HEARTBEAT_GROUP, stop, self.on_wave, layer=self.layer, rejoin_seconds=self.rejoin_seconds)

    async def on_wave(self, event: dict) -> None:
        """Une vague reçue : chaque bougie, les positions surveillées, puis le cycle des stratégies. Une erreur
        (base perdue) est journalisée une fois par panne ; les décisions de la vague seront reprises."""
        candles = decode_candles(event)
        for candle in candles:
            await self.on_candle(candle)
        try:
            await self.check_watched(candles)
        except Exception as error:
            self.outage.failed(error)
        try:
            await self.cycle.on_wave(candles)
        except Exception as error:
            self.cycle.behind = True
            self.outage.failed(error)
        else:
            self.outage.recovered()

    async def catch_up(self) -> None:
        """Les décisions restées à prendre (vague en échec) : reprises tant qu'il en reste."""
        if self.cycle.behind:
            try:
                await self.cycle.catch_up()
            except Exception as error:
                self.cycle.behind = True
                self.outage.failed(error)
            else:
                if not self.cycle.behind:
                    self.outage.recovered()

    async def run(self, stop: asyncio.Event) -> None:
        preloaded = await ccxt_manager.preload_all(await all_brokers())
        logger.info("Brokers préchargés : %(loaded)d prêts, %(failed)d en échec", preloaded)
        gc.freeze()  # marchés CCXT, modules : hors du ramasse-miettes, qui ne les parcourt plus pendant une vague
        gc.set_threshold(*GC_THRESHOLDS)
        try:
            try:  # au démarrage : réconcilier d'abord, puis reprendre les stratégies
                await self.reconcile()
            except Exception:
                logger.exception("Réconciliation de démarrage impossible, le moteur démarre quand même")
            self.cycle.behind = True  # les décisions qu'un arrêt a interrompues
            await asyncio.gather(self.listen(stop), self._checks(stop), every(CATCH_UP_SECONDS, self.catch_up, stop))
        finally:
            with contextlib.suppress(Exception):  # arrêt voulu : pas un réconciliateur silencieux
                await database_sync_to_async(liveness.service_stopped, thread_sensitive=False)(RECONCILER)
            await asyncio.to_thread(self.cycle.close)
            await ccxt_manager.close_all()
