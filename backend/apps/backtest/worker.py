"""Le worker des backtests (`manage.py run_backtest_worker`) : calcule les backtests demandés, hors du web.

Un seul worker à la fois. Au démarrage, ce qu'un arrêt brutal a laissé « en cours » passe en échec ; ensuite il
se réveille à chaque demande (groupe Channels du worker) et, par sécurité, toutes les POLL_SECONDS. Au plus un
backtest en cours par utilisateur (les autres attendent dans l'ordre), LANES utilisateurs en parallèle (chacun
son runner). Pendant un calcul, le bail de chaque backtest est renouvelé toutes les LEASE_SECONDS ; à l'arrêt du
worker, un calcul en cours s'interrompt et retourne en file.
"""

import asyncio
import logging

from channels.db import database_sync_to_async

from apps.backtest.services.execution import execute_run
from apps.backtest.services.runs import (
    claim_next,
    fail_interrupted_runs,
    fail_run,
    fail_stale_runs,
    renew_leases,
)
from apps.core.channels import BACKTEST_WORKER_GROUP, listen_group

logger = logging.getLogger("aristobot.backtest")

POLL_SECONDS = 2.0
LEASE_SECONDS = 5.0
LANES = 2


def _in_thread(function):
    # Un fil par appel : le calcul d'un utilisateur ne bloque pas celui d'un autre.
    return database_sync_to_async(function, thread_sensitive=False)


class BacktestWorker:
    def __init__(self, *, lanes: int = LANES, poll_seconds: float = POLL_SECONDS, lease_seconds: float = LEASE_SECONDS):
        self.lanes, self.poll_seconds, self.lease_seconds = lanes, poll_seconds, lease_seconds
        self.busy_users: set[int] = set()
        self.running: set[int] = set()
        self._claiming = asyncio.Lock()
        self._stop = asyncio.Event()

    async def _claim(self):
        async with self._claiming:
            run = await _in_thread(claim_next)(busy_users=set(self.busy_users))
            if run is not None:
                self.busy_users.add(run.user_id)
                self.running.add(run.pk)
            return run

    async def _lane(self) -> int:
        done = 0
        while not self._stop.is_set():
            run = await self._claim()
            if run is None:
                return done
            try:
                finished = await _in_thread(execute_run)(run, stopping=self._stop.is_set)
                logger.info("Backtest %s : %s", run.pk, finished.status)
            except Exception as error:
                logger.exception("Backtest %s : calcul interrompu", run.pk)
                await _in_thread(fail_run)(run.pk, f"Erreur interne pendant le calcul : {error}")
            finally:
                self.busy_users.discard(run.user_id)
                self.running.discard(run.pk)
            done += 1
        return done

    async def drain(self) -> int:
        """Calcule tout ce qui attend ; rend le nombre de backtests traités."""
        results = await asyncio.gather(*(self._lane() for _ in range(self.lanes)), return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):
                logger.error("Worker des backtests : %s", result, exc_info=result)
        return sum(result for result in results if isinstance(result, int))

    async def _keep_leases(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                if self.running:
                    await _in_thread(renew_leases)(set(self.running))
                await _in_thread(fail_stale_runs)()
            except Exception:
                logger.exception("Worker des backtests : bail non renouvelé")
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.lease_seconds)
            except TimeoutError:
                pass

    async def run(self, stop: asyncio.Event) -> None:
        self._stop = stop
        wake = asyncio.Event()

        async def on_wake(event: dict) -> None:
            wake.set()

        listener = asyncio.create_task(listen_group(BACKTEST_WORKER_GROUP, stop, on_wake))
        failed = await _in_thread(fail_interrupted_runs)()
        if failed:
            logger.warning("%d backtest(s) interrompu(s) par l'arrêt précédent : marqués en échec", failed)
        leases = asyncio.create_task(self._keep_leases(stop))
        try:
            while not stop.is_set():
                wake.clear()
                await self.drain()
                waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
                await asyncio.wait(waits, timeout=self.poll_seconds, return_when=asyncio.FIRST_COMPLETED)
                for waiting in waits:
                    waiting.cancel()
        finally:
            listener.cancel()
            leases.cancel()
