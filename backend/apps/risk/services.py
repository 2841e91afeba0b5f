"""Limites d'un broker : lecture avec leur état courant, modification (une limite relevée lève l'atteinte)."""

import logging

from django.db import transaction
from django.utils import timezone

from apps.brokers.models import Broker
from apps.core.exceptions import ExchangeError, NotFound
from apps.core.scoping import owned
from apps.risk import state
from apps.risk.assessment import assess
from apps.risk.models import RiskLimits, RiskOverride

FIELDS = (
    "max_daily_loss",
    "max_daily_loss_pct",
    "max_drawdown_pct",
    "max_exposure",
    "max_symbol_exposure",
    "max_open_positions",
    "cooldown_losses",
    "cooldown_minutes",
    "cooldown_scope",
)
RECENT_OVERRIDES = 10

logger = logging.getLogger("aristobot.risk")


def owned_broker(user, broker_id) -> Broker:
    broker = owned(Broker.objects.select_related("user"), user).filter(pk=broker_id).first()
    if broker is None:
        raise NotFound(f"Broker inconnu : {broker_id}.")
    return broker


def limits_of(broker: Broker) -> RiskLimits:
    """Les limites du broker ; toutes désactivées s'il n'en a jamais enregistré."""
    return RiskLimits.objects.filter(broker=broker).first() or RiskLimits(user_id=broker.user_id, broker=broker)


def _refresh_state(broker: Broker, limits: RiskLimits) -> str:
    """Recalcule l'état (prix de l'exchange) ; retourne l'erreur de l'exchange, vide si l'état est à jour."""
    now = timezone.now()
    try:
        state.record(broker, assess(limits if limits.pk else None, broker, now).reached, now)
    except ExchangeError as error:
        state.expire(broker.user, now)
        return f"État non recalculé : {error.message}"
    return ""


def overview(*, user, broker_id) -> dict:
    broker = owned_broker(user, broker_id)
    limits = limits_of(broker)
    error = _refresh_state(broker, limits)
    return {
        "broker": broker.pk,
        "broker_name": broker.name,
        "limits": limits,
        "reached": list(broker.risk_reaches.filter(lifted_at=None).order_by("reached_at")),
        "overrides": list(RiskOverride.objects.filter(broker=broker)[:RECENT_OVERRIDES]),
        "state_error": error,
    }


@transaction.atomic
def _save(broker: Broker, values: dict) -> None:
    limits = RiskLimits.objects.select_for_update().filter(broker=broker).first()
    limits = limits or RiskLimits(user_id=broker.user_id, broker=broker)
    for name in FIELDS:
        if name in values:
            setattr(limits, name, values[name])
    limits.save()


def update(*, user, broker_id, values: dict) -> dict:
    """Enregistre les limites données (None = désactivée) puis recalcule l'état."""
    broker = owned_broker(user, broker_id)
    _save(broker, values)
    return overview(user=user, broker_id=broker.pk)


def status_bar(*, user) -> list[dict]:
    """Les brokers de `user` dont une limite est atteinte : {"broker", "broker_name", "limits", "messages"}."""
    found = state.live_by_broker(user, timezone.now())
    return [
        {
            "broker": broker_id,
            "broker_name": reaches[0].broker.name,
            "limits": [reach.get_limit_display() for reach in reaches],
            "messages": [reach.message for reach in reaches],
        }
        for broker_id, reaches in found.items()
    ]


def refresh_all() -> int:
    """Recalcule l'état de chaque broker qui a des limites (contrôle de chaque minute du moteur) : une limite atteinte
    sans achat (perte latente, baisse depuis le sommet) est dite et alertée à temps, une atteinte finie est levée.
    Retourne le nombre de brokers recalculés."""
    refreshed = 0
    for limits in RiskLimits.objects.select_related("broker__user"):
        error = _refresh_state(limits.broker, limits)
        if error:
            logger.warning("Limites du broker %s : %s", limits.broker_id, error)
        refreshed += 1
    return refreshed
