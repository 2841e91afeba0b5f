"""Les fils des appels synchrones du moteur (base, service d'ordres) : les activations d'une vague avancent en même
temps, chacune dans un fil ; `close()` ferme la connexion à la base de chaque fil."""

import asyncio
import functools
import threading
from concurrent.futures import ThreadPoolExecutor, wait

from django.db import DatabaseError, connection, connections

SIZE = 32  # une vague de 20 activations passe ses ordres ensemble


def _call(function, args, kwargs):
    try:
        return function(*args, **kwargs)
    except DatabaseError:
        connection.close()  # rouverte au prochain appel (base redémarrée, connexion coupée)
        raise


def _close_when_all_here(barrier: threading.Barrier) -> None:
    barrier.wait(timeout=10)
    connections.close_all()


class EngineThreads:
    def __init__(self, size: int = SIZE):
        self.size = size
        self.executor = ThreadPoolExecutor(size, thread_name_prefix="moteur")

    async def run(self, function, /, *args, **kwargs):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(_call, function, args, kwargs))

    def close(self) -> None:
        """Un travail par fil (la barrière les retient jusqu'au dernier) : chacun ferme sa connexion."""
        barrier = threading.Barrier(self.size)
        wait([self.executor.submit(_close_when_all_here, barrier) for _ in range(self.size)], timeout=15)
        self.executor.shutdown(wait=True)
