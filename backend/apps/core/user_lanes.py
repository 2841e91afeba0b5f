"""Le worker à files par utilisateur, commun aux backtests et aux webhooks : chaque app ne donne que sa file.

Un seul worker à la fois. Au démarrage, `recover()` règle ce qu'un arrêt (même brutal) a laissé en cours ; ensuite
le worker se réveille à chaque publication sur `group` et, par sécurité, toutes les `poll_seconds`. `lanes` voies
en parallèle, au plus un travail par utilisateur à la fois (les autres attendent leur tour dans l'ordre de la
file). Tant qu'un travail dure, son bail est renouvelé toutes les `lease_seconds`.

Une app en fait une sous-classe qui écrit les crochets (fonctions synchrones, appelées chacune dans son fil) :
`claim`, `handle`, `fail`, `renew`, et au besoin `recover`, `tidy`. Un travail réservé a `pk` et `user_id`.
"""

import asyncio
import logging
from typing import Protocol

from channels.db import database_sync_to_async

from apps.core.daemon import on_wake_or_every

logger = logging.getLogger("aristobot.daemon")


class Job(Protocol):
    pk: int
    user_id: int


def _in_thread(function):
    # Un fil par appel : le travail lent d'un utilisateur (calcul, exchange) ne bloque pas celui d'un autre.
    return database_sync_to_async(function, thread_sensitive=False)


class UserLanesWorker:
    name = "Worker"  # pour le journal
    group = ""  # le groupe Channels qui réveille le worker
    lanes = 2
    poll_seconds = 2.0
    lease_seconds = 5.0

    def __init__(self, *, lanes: int | None = None, poll_seconds: float | None = None):
        self.lanes = lanes or self.lanes
        self.poll_seconds = poll_seconds or self.poll_seconds
        self.busy_users: set[int] = set()
        self.running: set[int] = set()
        self._claiming = asyncio.Lock()
        self._stop = asyncio.Event()

    # Les crochets de l'app.
    def claim(self, busy_users: set[int]) -> Job | None:
        """Réserve le plus ancien travail d'un utilisateur hors de `busy_users`, ou None."""
        raise NotImplementedError

    def handle(self, job: Job, stopping) -> None:
        """Fait le travail ; `stopping()` vrai quand le worker s'arrête."""
        raise NotImplementedError

    def fail(self, job: Job, error: Exception) -> None:
        """`handle` a levé : le travail finit en échec avec la raison."""
        raise NotImplementedError

    def renew(self, job_ids: set[int]) -> None:
        """Les travaux `job_ids` sont encore en cours : leur bail repart."""
        raise NotImplementedError

    def recover(self) -> None:
        """Au démarrage : ce que l'arrêt précédent a laissé en cours."""

    def tidy(self) -> None:
        """Après chaque renouvellement des baux (toutes les `lease_seconds`)."""

    # La mécanique commune.
    async def _claim(self) -> Job | None:
        async with self._claiming:  # réservation et utilisateur occupé notés ensemble
            job = await _in_thread(self.claim)(set(self.busy_users))
            if job is not None:
                self.busy_users.add(job.user_id)
                self.running.add(job.pk)
            return job

    async def _lane(self) -> int:
        done = 0
        while not self._stop.is_set():
            job = await self._claim()
            if job is None:
                return done
            try:
                await _in_thread(self.handle)(job, self._stop.is_set)
            except Exception as error:
                logger.exception("%s : travail %s interrompu", self.name, job.pk)
                await _in_thread(self.fail)(job, error)
            finally:
                self.busy_users.discard(job.user_id)
                self.running.discard(job.pk)
            done += 1
        return done

    async def drain(self) -> int:
        """Fait tout ce qui attend ; rend le nombre de travaux faits. Une erreur de base est journalisée (le
        travail garde sa réservation et sera repris)."""
        results = await asyncio.gather(*(self._lane() for _ in range(self.lanes)), return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):
                logger.error("%s : %s", self.name, result, exc_info=result)
        return sum(result for result in results if isinstance(result, int))

    async def _keep_leases(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                if self.running:
                    await _in_thread(self.renew)(set(self.running))
                await _in_thread(self.tidy)()
            except Exception:
                logger.exception("%s : bail non renouvelé", self.name)
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.lease_seconds)
            except TimeoutError:
                pass

    async def run(self, stop: asyncio.Event) -> None:
        self._stop = stop
        await _in_thread(self.recover)()
        leases = asyncio.create_task(self._keep_leases(stop))
        try:
            await on_wake_or_every(self.group, self.poll_seconds, self._drain_and_log, stop)
        finally:
            leases.cancel()

    async def _drain_and_log(self) -> None:
        count = await self.drain()
        if count:
            logger.info("%s : %d travail(aux) fait(s)", self.name, count)
