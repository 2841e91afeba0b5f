"""Ce que le moteur de trading dit au heartbeat, sans que le heartbeat l'importe : les symboles à suivre en plus
des réglages (ceux des stratégies actives) et « une stratégie tourne » (barre de statut). Le moteur s'enregistre
ici au démarrage de Django ; `symbols_changed()` fait relire la liste au heartbeat."""

import logging
from collections.abc import Callable

from apps.core.channels import HEARTBEAT_CONTROL_GROUP, heartbeat_reload_event, publish_sync

logger = logging.getLogger("aristobot.heartbeat")

_sources: list[Callable[[], list[str]]] = []
_live_checks: list[Callable[[], bool]] = []


def register_symbol_source(source: Callable[[], list[str]]) -> None:
    if source not in _sources:
        _sources.append(source)


def register_live_check(check: Callable[[], bool]) -> None:
    if check not in _live_checks:
        _live_checks.append(check)


def strategy_live() -> bool:
    return any(check() for check in _live_checks)


def requested_symbols() -> list[str]:
    return [symbol for source in _sources for symbol in source()]


def symbols_changed() -> None:
    try:
        publish_sync(HEARTBEAT_CONTROL_GROUP, heartbeat_reload_event())
    except Exception:
        logger.exception("Heartbeat non prévenu du changement de symboles : il l'appliquera à son redémarrage")
