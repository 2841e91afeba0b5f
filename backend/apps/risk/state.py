"""L'état des limites d'un broker : une atteinte ouverte tant que la limite l'est, levée quand elle ne l'est plus
(ou à sa date de levée) ; chaque changement est publié dans le groupe privé de l'utilisateur (barre de statut,
alerte une fois par atteinte : apps.alerts.observe)."""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction

from apps.brokers.models import Broker
from apps.core.channels import RISK_LIMIT, client_event, publish_sync, user_group
from apps.risk.assessment import Breach
from apps.risk.models import Limit, RiskReach

logger = logging.getLogger("aristobot.risk")


def _publish(reach: RiskReach, broker: Broker, *, reached: bool) -> None:
    data = {
        "id": reach.pk,
        "broker": broker.pk,
        "broker_name": broker.name,
        "limit": reach.limit,
        "label": Limit(reach.limit).label,
        "message": reach.message,
        "reached": reached,
    }
    try:
        publish_sync(user_group(broker.user_id), client_event(RISK_LIMIT, data))
    except Exception:  # l'état reste en base : la barre de statut le relira
        logger.warning("État de la limite %s non publié", reach.pk, exc_info=True)


def _lift(reaches, broker: Broker, now: datetime) -> None:
    for reach in reaches:
        if RiskReach.objects.filter(pk=reach.pk, lifted_at=None).update(lifted_at=now):
            _publish(reach, broker, reached=False)


def record(broker: Broker, reached: list[Breach], now: datetime) -> list[RiskReach]:
    """Ouvre les atteintes nouvelles, lève celles qui ne le sont plus ; retourne les atteintes ouvertes."""
    live = {(r.limit, r.scope): r for r in RiskReach.objects.filter(broker=broker, lifted_at=None)}
    wanted = {(b.limit, b.scope): b for b in reached}
    _lift([r for key, r in live.items() if key not in wanted], broker, now)
    current = []
    for key, breach in wanted.items():
        reach = live.get(key)
        if reach is not None:
            if (reach.message, reach.until) != (breach.message, breach.until):
                reach.message, reach.figures, reach.until = breach.message, breach.figures, breach.until
                reach.save(update_fields=["message", "figures", "until"])
            current.append(reach)
            continue
        try:
            with transaction.atomic():
                reach = RiskReach.objects.create(
                    user_id=broker.user_id,
                    broker=broker,
                    limit=breach.limit,
                    scope=breach.scope,
                    message=breach.message,
                    figures=breach.figures,
                    reached_at=now,
                    until=breach.until,
                )
        except IntegrityError:  # ouverte au même instant par un autre processus : il l'a publiée
            continue
        _publish(reach, broker, reached=True)
        current.append(reach)
    return current


def expire(user, now: datetime) -> None:
    """Lève les atteintes dont la date de levée est passée (jour suivant, fin de la pause), sans recalcul."""
    due = RiskReach.objects.filter(user=user, lifted_at=None, until__lte=now).select_related("broker")
    for reach in due:
        _lift([reach], reach.broker, now)


def live_by_broker(user, now: datetime) -> dict[int, list[RiskReach]]:
    expire(user, now)
    found: dict[int, list[RiskReach]] = {}
    for reach in RiskReach.objects.filter(user=user, lifted_at=None).select_related("broker").order_by("reached_at"):
        found.setdefault(reach.broker_id, []).append(reach)
    return found
