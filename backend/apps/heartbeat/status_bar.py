"""Ce que montre la barre de statut, calculé depuis la base."""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from apps.core.services import exchange_clock
from apps.heartbeat.followers import sandbox_degraded, strategy_live
from apps.heartbeat.models import HeartbeatStatus

# Parties propres à l'utilisateur de GET /api/status/ (pas du message public « status ») : une app s'y enregistre
# (apps.risk : les brokers dont une limite est atteinte) sans que le heartbeat l'importe.
_user_sections: dict[str, Callable] = {}


def register_user_section(name: str, provider: Callable) -> None:
    _user_sections[name] = provider


def user_sections(user) -> dict:
    return {name: provider(user=user) for name, provider in _user_sections.items()}


def status_snapshot() -> dict:
    """Retourne {"strategy_live", "heartbeat": {"active", "coherent", "gaps", "last_message_at"},
    "coherence": {"since", "starting", "backfilling", "gaps"}} : `coherence` explique un heartbeat non cohérent
    (depuis quand, symboles au rattrapage initial ou en cours de rattrapage, trous avec leur raison) ; `sandbox` :
    « sandbox dégradé : … » si le runner des stratégies ne peut pas être entièrement confiné, sinon None ;
    `clock` : l'écart d'horloge avec un exchange quand il dépasse 1 s (« Horloge du PC en retard de … »), sinon None."""
    heartbeat = HeartbeatStatus.load()
    last = heartbeat.last_message_at
    fresh_after = timezone.now() - timedelta(seconds=settings.HEARTBEAT_ACTIVE_SECONDS)
    return {
        "strategy_live": strategy_live(),
        "sandbox": sandbox_degraded(),
        "clock": exchange_clock.notice(),
        "heartbeat": {
            "active": bool(heartbeat.connected and last and last >= fresh_after),
            "coherent": heartbeat.coherent,
            "gaps": len(heartbeat.gaps),
            "last_message_at": last.isoformat() if last else None,
        },
        "coherence": {
            "since": heartbeat.incoherent_since.isoformat() if heartbeat.incoherent_since else None,
            "starting": heartbeat.starting,
            "backfilling": heartbeat.backfilling,
            "gaps": heartbeat.gaps,
        },
    }
