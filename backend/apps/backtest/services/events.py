"""Publication d'un backtest vers la page de son propriétaire, et réveil du worker."""

import logging

from apps.backtest.models import BacktestRun
from apps.backtest.serializers import BacktestRunSerializer
from apps.core.channels import (
    BACKTEST,
    BACKTEST_WORKER_GROUP,
    backtest_wake_event,
    client_event,
    publish_sync,
    user_group,
)

logger = logging.getLogger("aristobot.backtest")


def shown(run: BacktestRun) -> dict:
    return dict(BacktestRunSerializer(run).data)


def notify(run: BacktestRun) -> None:
    """Le backtest (sans trades ni courbe) au groupe de l'utilisateur ; Redis absent : journalisé, le calcul
    continue (la page relit l'API)."""
    try:
        publish_sync(user_group(run.user_id), client_event(BACKTEST, shown(run)))
    except Exception:
        logger.exception("Backtest %s : publication impossible", run.pk)


def wake_worker() -> None:
    try:
        publish_sync(BACKTEST_WORKER_GROUP, backtest_wake_event())
    except Exception:
        logger.exception("Worker des backtests : réveil impossible (il interroge aussi la base)")
