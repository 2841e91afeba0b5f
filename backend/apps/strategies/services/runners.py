"""Un runner de stratégies par utilisateur et par processus, réutilisé, relancé s'il meurt."""

import threading

from django.conf import settings

from apps.strategies.runner.client import AsyncStrategyRunner, StrategyRunner

_runners: dict[int, StrategyRunner] = {}
_lock = threading.Lock()


def runner_for(user_id: int) -> StrategyRunner:
    """Le runner (synchrone) de l'utilisateur ; démarré au premier appel."""
    with _lock:
        runner = _runners.get(user_id)
        if runner is None:
            runner = _runners[user_id] = StrategyRunner(
                memory_limit_bytes=settings.STRATEGY_RUNNER_MEMORY_MB * 1024 * 1024
            )
        return runner


def async_runner_for(user_id: int) -> AsyncStrategyRunner:
    """Le même runner pour le moteur : `await async_runner_for(uid).call("decide", …, timeout=…)`."""
    return AsyncStrategyRunner(runner_for(user_id))


def live_timeout_seconds() -> float:
    return settings.STRATEGY_CALL_TIMEOUT_MS / 1000


def close_runners() -> None:
    with _lock:
        runners = list(_runners.values())
        _runners.clear()
    for runner in runners:
        runner.close()
