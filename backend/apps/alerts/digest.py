"""Le résumé quotidien : soldes, P&L du jour par source, positions ouvertes ; une fois par jour, à l'heure
choisie dans le fuseau de l'utilisateur."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone

from apps.alerts.events import emit
from apps.alerts.models import AlertEvent
from apps.alerts.preferences import settings_for
from apps.core.french_numbers import french_number
from apps.orders.models import Position
from apps.stats.models import BalanceSnapshot


def _amount(value: Decimal) -> str:
    return french_number(value, places=2)


def digest_text(user, *, day_start: datetime, day_end: datetime, day: str) -> str:
    lines = [f"Résumé du {day}"]
    balances = []
    for broker in user.brokers.order_by("name"):
        last = BalanceSnapshot.objects.filter(broker=broker).order_by("-taken_at").first()
        if last is not None:
            balances.append(f"{broker.name} {_amount(last.total_usd)} USD")
    lines.append("Soldes : " + ("; ".join(balances) or "aucun relevé"))
    closed = (
        Position.objects.filter(
            user=user, status=Position.Status.CLOSED, closed_at__gte=day_start, closed_at__lt=day_end
        )
        .values("source")
        .annotate(pnl=Sum("realized_pnl"))
        .order_by("source")
    )
    labels = dict(Position._meta.get_field("source").choices)
    pnl = [f"{labels.get(row['source'], row['source'])} {_amount(row['pnl'])}" for row in closed]
    lines.append("P&L du jour : " + ("; ".join(pnl) or "aucune position clôturée"))
    live = Position.objects.filter(user=user, status__in=Position.LIVE_STATUSES).select_related("broker")
    held = [f"{p.symbol} sur {p.broker.name}" for p in live]
    lines.append(f"Positions ouvertes : {len(held)}" + (f" ({', '.join(held)})" if held else ""))
    return "\n".join(lines)


def send_due_digests(now: datetime | None = None) -> int:
    """Émet le résumé des utilisateurs dont l'heure est passée aujourd'hui (chez eux) ; retourne leur nombre."""
    now = now or timezone.now()
    sent = 0
    for user in get_user_model().objects.filter(is_active=True):
        zone = ZoneInfo(user.display_timezone or "UTC")
        local = now.astimezone(zone)
        if local.hour < settings_for(user.pk).digest_hour:
            continue
        day = local.date().isoformat()
        key = f"digest-{day}"
        if AlertEvent.objects.filter(user=user, key=key).exists():
            continue
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        text = digest_text(user, day_start=day_start, day_end=day_start + timedelta(days=1), day=day)
        if emit(kind="digest", user_id=user.pk, text=text, key=key):
            sent += 1
    return sent
