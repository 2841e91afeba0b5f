"""Entrées arrêtées par « Tout couper » : les webhooks d'achat refusés, jusqu'à « Reprendre les entrées »."""

from django.db import IntegrityError, transaction
from django.db.models import Q

from apps.brokers.models import Broker
from apps.panic.models import CutRun, EntryHalt

REFUSED = (
    "Entrée refusée : les entrées sont arrêtées par « Tout couper » depuis le {at} UTC ({scope}). "
    "« Reprendre les entrées » les rouvre."
)


def halt(*, user_id: int, broker: Broker | None, run: CutRun) -> None:
    """Arrête les entrées (un seul arrêt par broker, ou pour tous) ; déjà arrêtées : rien ne change."""
    try:
        with transaction.atomic():
            EntryHalt.objects.create(user_id=user_id, broker=broker, run=run)
    except IntegrityError:
        pass


def refusal(*, user_id: int, broker_id: int) -> str:
    """La raison française du refus d'une entrée sur ce broker, ou « » si les entrées sont ouvertes."""
    found = (
        EntryHalt.objects.select_related("broker")
        .filter(Q(broker__isnull=True) | Q(broker_id=broker_id), user_id=user_id)
        .order_by("created_at")
        .first()
    )
    if found is None:
        return ""
    scope = f"broker {found.broker.name}" if found.broker else "tous les brokers"
    return REFUSED.format(at=found.created_at.strftime("%Y-%m-%d %H:%M"), scope=scope)


def halts_of(user) -> list[EntryHalt]:
    return list(EntryHalt.objects.filter(user=user).select_related("broker").order_by("created_at"))


def resume(*, user, broker: Broker | None) -> int:
    """« Reprendre les entrées » : celles de ce broker, ou toutes (`broker` None) ; retourne le nombre d'arrêts levés.
    Un arrêt de tous les brokers n'est levé que par la reprise de tous."""
    halts = EntryHalt.objects.filter(user=user)
    if broker is not None:
        halts = halts.filter(broker=broker)
    return halts.delete()[0]
