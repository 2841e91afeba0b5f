"""Le worker des backtests (`manage.py run_backtest_worker`) : calcule les backtests demandés, hors du web.

La mécanique (files par utilisateur, voies, réveil, baux) est celle de `core/user_lanes.py` ; ici, la file des
backtests. Au démarrage, ce qu'un arrêt brutal a laissé « en cours » passe en échec. Au plus un backtest en cours
par utilisateur, LANES utilisateurs en parallèle (chacun son runner). Pendant un calcul, le bail est renouvelé
toutes les LEASE_SECONDS et les backtests sans nouvelles passent en échec ; à l'arrêt du worker, un calcul en
cours s'interrompt et retourne en file.
"""

import logging

from apps.backtest.models import BacktestRun
from apps.backtest.services.execution import execute_run
from apps.backtest.services.runs import (
    claim_next,
    fail_interrupted_runs,
    fail_run,
    fail_stale_runs,
    renew_leases,
)
from apps.core.channels import BACKTEST_WORKER_GROUP
from apps.core.user_lanes import UserLanesWorker

logger = logging.getLogger("aristobot.backtest")

POLL_SECONDS = 2.0
LEASE_SECONDS = 5.0
LANES = 2


class BacktestWorker(UserLanesWorker):
    name = "Worker des backtests"
    group = BACKTEST_WORKER_GROUP
    lanes, poll_seconds, lease_seconds = LANES, POLL_SECONDS, LEASE_SECONDS

    def claim(self, busy_users: set[int]) -> BacktestRun | None:
        return claim_next(busy_users=busy_users)

    def handle(self, run: BacktestRun, stopping) -> None:
        finished = execute_run(run, stopping=stopping)
        logger.info("Backtest %s : %s", run.pk, finished.status)

    def fail(self, run: BacktestRun, error: Exception) -> None:
        fail_run(run.pk, f"Erreur interne pendant le calcul : {error}")

    def renew(self, job_ids: set[int]) -> None:
        renew_leases(job_ids)

    def recover(self) -> None:
        failed = fail_interrupted_runs()
        if failed:
            logger.warning("%d backtest(s) interrompu(s) par l'arrêt précédent : marqués en échec", failed)

    def tidy(self) -> None:
        fail_stale_runs()
