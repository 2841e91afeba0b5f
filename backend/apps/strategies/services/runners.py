"""Un runner de stratégies par utilisateur et par processus, réutilisé, relancé s'il meurt ; confiné par le
système (runner/confinement/) et refusé s'il ne l'est pas entièrement quand STRATEGY_REQUIRE_CONFINEMENT le
demande."""

import functools
import threading

from django.conf import settings
from django.contrib.auth import get_user_model

from apps.strategies.runner.client import AsyncStrategyRunner, StrategyRunner, degraded_text
from apps.strategies.runner.confinement import kernel_support

_runners: dict[int, StrategyRunner] = {}
_lock = threading.Lock()


def confinement_required() -> bool:
    """Relu à chaque démarrage d'un runner (dans un fil : jamais dans la boucle asyncio du moteur)."""
    if settings.STRATEGY_REQUIRE_CONFINEMENT != "auto":
        return settings.STRATEGY_REQUIRE_CONFINEMENT == "true"
    users = get_user_model().objects.filter(is_active=True).only("username")[:3]
    return sum(not user.is_dev for user in users) > 1  # le compte du mode dev ne compte pas


@functools.lru_cache(maxsize=1)
def sandbox_degraded() -> str | None:
    """« sandbox dégradé : … » si le noyau refuserait une couche au runner ; None si le confinement est entier."""
    missing = kernel_support()
    return degraded_text(missing) if missing else None


def runner_for(user_id: int) -> StrategyRunner:
    """Le runner (synchrone) de l'utilisateur ; démarré au premier appel."""
    with _lock:
        runner = _runners.get(user_id)
        if runner is None:
            runner = _runners[user_id] = StrategyRunner(
                memory_limit_bytes=settings.STRATEGY_RUNNER_MEMORY_MB * 1024 * 1024,
                require_confinement=confinement_required,
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
