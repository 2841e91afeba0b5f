"""Signes de vie des services de fond : un démarrage noté, puis un battement toutes les SERVICE_BEAT_SECONDS ; un arrêt
propre efface la ligne (un service arrêté exprès n'est pas un incident)."""

import os
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.models import ServiceBeat

STARTS_KEPT = timedelta(hours=24)


@transaction.atomic
def service_started(name: str, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    beat = ServiceBeat.objects.select_for_update().filter(name=name).first()
    kept = [at for at in (beat.starts if beat else []) if datetime.fromisoformat(at) >= now - STARTS_KEPT]
    ServiceBeat.objects.update_or_create(
        name=name,
        defaults={"pid": os.getpid(), "started_at": now, "last_seen": now, "starts": [*kept, now.isoformat()]},
    )


def service_alive(name: str) -> None:
    ServiceBeat.objects.filter(name=name).update(last_seen=timezone.now())


def work_done(name: str) -> None:
    """Un travail périodique d'un service (le réconciliateur du moteur) vient de finir une passe : sa propre ligne,
    créée au besoin, sans compter de démarrage."""
    now = timezone.now()
    if not ServiceBeat.objects.filter(name=name).update(last_seen=now, pid=os.getpid()):
        ServiceBeat.objects.get_or_create(name=name, defaults={"pid": os.getpid(), "started_at": now, "last_seen": now})


def service_stopped(name: str) -> None:
    ServiceBeat.objects.filter(name=name, pid=os.getpid()).delete()
