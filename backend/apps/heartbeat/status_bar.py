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


def status_snapshot(user_id: int | None = None) -> dict:
    """Retourne {"strategy_live", "heartbeat": {"active", "active_for", "coherent", "gaps", "last_message_at"},
    "coherence": {"since", "starting", "backfilling", "gaps"}} : `coherence` explique un heartbeat non cohérent
    (depuis quand, symboles au rattrapage initial ou en cours de rattrapage, trous avec leur raison) ; `sandbox` :
    « sandbox dégradé : … » si le runner des stratégies ne peut pas être entièrement confiné, sinon None ;
    `clock` : l'écart d'horloge avec un exchange quand il dépasse 1 s (« Horloge du PC en retard de … »), sinon None.
    `strategy_live` : une stratégie de `user_id` décide en ce moment ; sans utilisateur (état public publié par le
    heartbeat à tous), la clé est absente. `heartbeat.active_for` : secondes pendant lesquelles « actif » reste vrai
    sans nouvel état (un heartbeat mort ne publie plus rien : le navigateur passe alors au rouge de lui-même)."""
    heartbeat = HeartbeatStatus.load()
    last = heartbeat.last_message_at
    now = timezone.now()
    lifetime = timedelta(seconds=settings.HEARTBEAT_ACTIVE_SECONDS)
    active = bool(heartbeat.connected and last and last >= now - lifetime)
    personal = {} if user_id is None else {"strategy_live": strategy_live(user_id)}
    return {
        **personal,
        "sandbox": sandbox_degraded(),
        "clock": exchange_clock.notice(),
        "heartbeat": {
            "active": active,
            "active_for": round((last + lifetime - now).total_seconds(), 1) if active else 0,
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
