"""Les instances de la porte : une par (user_id, broker_id), marchés chargés une fois, recréée quand le broker
change (updated_at), fermée quand il est oublié."""

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from apps.core.exceptions import ExchangeError
from apps.core.services.ccxt_manager.calls import invoke, read, resync_if_stale, sync_clock
from apps.core.services.ccxt_manager.gate import GATES
from apps.core.services.ccxt_manager.loop import DoorLoop, on_door
from apps.core.services.ccxt_manager.registry import new_instance

logger = logging.getLogger("aristobot.exchanges")


@dataclass
class _Handle:
    exchange: object
    version: datetime | None


class Instances(DoorLoop):
    def __init__(self):
        super().__init__()
        self._handles: dict[tuple[int, int], _Handle] = {}
        self._locks: dict[tuple[int, int], asyncio.Lock] = {}

    async def _instance(self, broker) -> tuple[object, bool]:
        """(instance prête, créée maintenant ?) ; un broker modifié depuis (updated_at) est recréé."""
        key = (broker.user_id, broker.pk)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            handle = self._handles.get(key)
            if handle is not None and handle.version == broker.updated_at:
                return handle.exchange, False
            if handle is not None:
                await self._drop(key)
            exchange = new_instance(broker)
            try:
                await sync_clock(exchange, broker)
                await read(exchange, broker, "load_markets")
            except BaseException:
                await exchange.close()
                raise
            self._handles[key] = _Handle(exchange, broker.updated_at)
            return exchange, True

    async def _drop(self, key: tuple[int, int]) -> None:
        handle = self._handles.pop(key, None)
        if handle is not None:
            await handle.exchange.close()

    async def _call(self, broker, method: str, *args, **kwargs):
        """Méthode CCXT `method` sur l'instance du broker ; lectures (fetch_*) réessayées, écritures jamais."""
        exchange, _ = await self._instance(broker)
        await resync_if_stale(exchange, broker)
        return await (read if method.startswith("fetch") else invoke)(exchange, broker, method, *args, **kwargs)

    @on_door
    async def forget(self, broker_id: int) -> None:
        """Ferme et oublie l'instance d'un broker modifié ou supprimé."""
        for key in [k for k in self._handles if k[1] == broker_id]:
            await self._drop(key)

    @on_door
    async def preload_all(self, brokers: list) -> dict:
        """Crée l'instance de chaque broker donné ; un échec est journalisé sans arrêter les autres."""
        results = await asyncio.gather(*(self._instance(b) for b in brokers), return_exceptions=True)
        failed = 0
        for broker, result in zip(brokers, results):
            if isinstance(result, ExchangeError):
                failed += 1
                logger.warning("Broker %s (%s) non préchargé : %s", broker.pk, broker.exchange, result)
            elif isinstance(result, BaseException):
                failed += 1
                logger.error("Broker %s (%s) non préchargé", broker.pk, broker.exchange, exc_info=result)
        return {"loaded": len(brokers) - failed, "failed": failed}

    @on_door
    async def close_all(self) -> None:
        """Ferme toutes les instances et oublie les débits appris (arrêt du processus, fin d'un test)."""
        for key in list(self._handles):
            await self._drop(key)
        GATES.clear()

    def loaded(self, broker):
        """L'instance prête du broker (marchés chargés, broker inchangé depuis), ou None."""
        handle = self._handles.get((broker.user_id, broker.pk))
        return handle.exchange if handle is not None and handle.version == broker.updated_at else None

    def loaded_count(self) -> int:
        return len(self._handles)

    def shutdown(self) -> None:
        """Ferme toutes les instances et arrête la boucle de la porte (appelé à la sortie du processus)."""
        if self._loop is None or not self._loop.is_running():
            return
        try:
            self.run(self.close_all(), timeout=10)
        finally:
            super().shutdown()


class SyncInstances:
    """Jumeaux synchrones des méthodes d'`Instances`."""

    def __init__(self, door: Instances):
        self._door = door

    def forget(self, broker_id: int) -> None:
        if self._door.started:  # pas de boucle : aucune instance à oublier
            self._door.run(self._door.forget(broker_id))

    def preload_all(self, brokers: list) -> dict:
        return self._door.run(self._door.preload_all(brokers))

    def close_all(self) -> None:
        return self._door.run(self._door.close_all())
