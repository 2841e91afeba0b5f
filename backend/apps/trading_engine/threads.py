"""Les fils des appels synchrones du moteur (base, service d'ordres) : les activations d'une vague avancent en même
temps, chacune dans un fil ; `close()` ferme la connexion à la base de chaque fil.

Connexions périmées (base redémarrée, connexion coupée) : la première erreur de connexion d'un fil ferme la sienne
et marque toutes les autres ; chaque fil ferme la sienne avant son appel suivant, et la rouvre neuve. Une base
redémarrée coûte donc un appel en échec, pas un par fil ni un moteur arrêté."""

import asyncio
import functools
import threading
from concurrent.futures import ThreadPoolExecutor, wait

from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections

SIZE = 32  # une vague de 20 activations passe ses ordres ensemble


class _Connections:
    """La génération des connexions : augmentée à chaque connexion perdue ; un fil d'une génération plus ancienne
    ferme la sienne avant de s'en servir."""

    def __init__(self):
        self.generation = 0
        self.local = threading.local()

    def before(self) -> None:
        if getattr(self.local, "generation", 0) != self.generation:
            connection.close()
            self.local.generation = self.generation

    def lost(self) -> None:
        self.generation += 1
        self.before()


def _call(state: _Connections, function, args, kwargs):
    state.before()
    try:
        return function(*args, **kwargs)
    except (OperationalError, InterfaceError):
        state.lost()  # rouverte au prochain appel, dans ce fil comme dans les autres
        raise
    except DatabaseError:
        connection.close()
        raise


def _close_when_all_here(barrier: threading.Barrier) -> None:
    barrier.wait(timeout=10)
    connections.close_all()


class EngineThreads:
    def __init__(self, size: int = SIZE):
        self.size = size
        self.executor = ThreadPoolExecutor(size, thread_name_prefix="moteur")
        self.connections = _Connections()

    async def run(self, function, /, *args, **kwargs):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self.executor, functools.partial(_call, self.connections, function, args, kwargs)
        )

    def close(self) -> None:
        """Un travail par fil (la barrière les retient jusqu'au dernier) : chacun ferme sa connexion."""
        barrier = threading.Barrier(self.size)
        wait([self.executor.submit(_close_when_all_here, barrier) for _ in range(self.size)], timeout=15)
        self.executor.shutdown(wait=True)
