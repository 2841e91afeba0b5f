"""Ce que le moteur de trading dit au heartbeat, sans que le heartbeat l'importe : les symboles à suivre en plus
des réglages (ceux des stratégies actives) et « une stratégie de l'utilisateur tourne » (barre de statut) ; de même,
l'app des stratégies y dit si son runner ne peut pas être entièrement confiné (« sandbox dégradé : … »). Le moteur
s'enregistre ici au démarrage de Django ; `symbols_changed()` fait relire la liste au heartbeat."""

import logging
from collections.abc import Callable

from apps.core.channels import HEARTBEAT_CONTROL_GROUP, heartbeat_reload_event, publish_sync

logger = logging.getLogger("aristobot.heartbeat")

_sources: list[Callable[[], list[str]]] = []
_live_checks: list[Callable[[int], bool]] = []
_sandbox_checks: list[Callable[[], str | None]] = []


def register_symbol_source(source: Callable[[], list[str]]) -> None:
    if source not in _sources:
        _sources.append(source)


def register_live_check(check: Callable[[int], bool]) -> None:
    if check not in _live_checks:
        _live_checks.append(check)


def register_sandbox_check(check: Callable[[], str | None]) -> None:
    if check not in _sandbox_checks:
        _sandbox_checks.append(check)


def sandbox_degraded() -> str | None:
    return next((text for check in _sandbox_checks if (text := check())), None)


def strategy_live(user_id: int) -> bool:
    """Une stratégie de cet utilisateur décide en ce moment (la barre de statut ne parle que de lui)."""
    return any(check(user_id) for check in _live_checks)


def requested_symbols() -> list[str]:
    return [symbol for source in _sources for symbol in source()]


def symbols_changed() -> None:
    try:
        publish_sync(HEARTBEAT_CONTROL_GROUP, heartbeat_reload_event())
    except Exception:
        logger.exception("Heartbeat non prévenu du changement de symboles : il l'appliquera à son redémarrage")
