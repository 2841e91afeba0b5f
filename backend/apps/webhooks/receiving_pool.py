"""Les fils de la réception des webhooks : un petit nombre fixe, chacun avec sa connexion PostgreSQL gardée, et
des lots.

Sous Daphne, une vue ordinaire prend un fil neuf par requête, donc une connexion neuve : une rafale de 200 alertes
ouvrait 200 connexions (au-delà de max_connections : 500). Ici WEBHOOK_RECEIVE_THREADS fils servent toutes les
livraisons, et celles qui arrivent pendant qu'un fil travaille partent ensemble au tour suivant : une transaction
par lot au lieu d'une par alerte. 0 = dans le fil de la requête, une par une (tests : la transaction du test reste
visible).
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection, reset_queries

MAX_BATCH = 200


def with_fresh_connection(function, *args):
    if connection.connection is not None and not connection.is_usable():
        connection.close()  # base redémarrée : reconnexion
    try:
        return function(*args)
    finally:
        reset_queries()  # DEBUG : les requêtes (corps compris) ne s'accumulent pas dans ces fils qui durent


class ReceivingBatches:
    """`await batches(item)` : `function(items)` (ORM synchrone, résultats dans l'ordre ; une exception à la place
    d'un résultat est levée chez son appelant) reçoit tous les items arrivés pendant le lot précédent."""

    def __init__(self, function: Callable[[list], list]):
        self.function = function
        self._pool: ThreadPoolExecutor | None = None
        self._waiting: list[tuple[object, asyncio.Future]] = []
        self._lanes: set[asyncio.Task] = set()

    async def __call__(self, item):
        if not settings.WEBHOOK_RECEIVE_THREADS:
            return self._unpack((await sync_to_async(self.function)([item]))[0])
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if len(self._lanes) < settings.WEBHOOK_RECEIVE_THREADS:
            lane = asyncio.ensure_future(self._drain())
            self._lanes.add(lane)
            lane.add_done_callback(self._lanes.discard)
        return await future

    async def _drain(self) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(settings.WEBHOOK_RECEIVE_THREADS, thread_name_prefix="webhook-reception")
        loop = asyncio.get_running_loop()
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                results = await loop.run_in_executor(
                    self._pool, with_fresh_connection, self.function, [item for item, _ in batch]
                )
            except Exception as error:
                results = [error] * len(batch)
            for (_, future), result in zip(batch, results):
                if future.done():
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)

    @staticmethod
    def _unpack(result):
        if isinstance(result, Exception):
            raise result
        return result
