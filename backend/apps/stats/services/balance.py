"""L'évolution du solde : la dernière valeur de chaque broker par période (calculée en base), les trous gardés."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models.functions import Trunc

from apps.brokers.models import Broker
from apps.stats.models import BalanceSnapshot

CENT = Decimal("0.01")
INTERVALS = {"1h": ("hour", timedelta(hours=1)), "1d": ("day", timedelta(days=1))}


def balance_series(*, brokers: Iterable[Broker], start: datetime, end: datetime, interval: str, zone: str) -> dict:
    """{"interval", "brokers": [{broker, name, points, change}], "total": {points, change}} ; chaque point
    {time, total_usd} est la dernière valeur de sa période (jour pris dans le fuseau `zone`). Une période sans
    instantané après le premier d'un broker est un trou (total_usd None), jamais interpolé ; le total global est
    un trou quand un des brokers en a un."""
    kind, step = INTERVALS[interval]
    brokers = list(brokers)
    rows = (
        BalanceSnapshot.objects.filter(broker__in=brokers, taken_at__gte=start, taken_at__lte=end)
        .annotate(bucket=Trunc("taken_at", kind, tzinfo=ZoneInfo(zone)))
        .order_by("broker_id", "bucket", "-taken_at")
        .distinct("broker_id", "bucket")
        .values_list("broker_id", "bucket", "total_usd")
    )
    values: dict[int, dict[datetime, Decimal]] = {broker.pk: {} for broker in brokers}
    for broker_id, bucket, total in rows:
        values[broker_id][bucket] = total
    buckets = _buckets(sorted({bucket for by_bucket in values.values() for bucket in by_bucket}), step, kind, zone)
    series = []
    for broker in brokers:
        known = values[broker.pk]
        first = min(known, default=None)
        points = [(bucket, known.get(bucket)) for bucket in buckets if first is not None and bucket >= first]
        series.append({"broker": broker.pk, "name": broker.name, "points": points, "change": _change(points)})
    total_points = []
    for bucket in buckets:
        present = [values[b.pk].get(bucket) for b in brokers if values[b.pk] and bucket >= min(values[b.pk])]
        total_points.append((bucket, None if None in present else sum(present, Decimal(0))))
    return {
        "interval": interval,
        "brokers": [{**s, "points": _shown(s["points"])} for s in series],
        "total": {"points": _shown(total_points), "change": _change(total_points)},
    }


def _buckets(seen: list[datetime], step: timedelta, kind: str, zone: str) -> list[datetime]:
    """Toutes les périodes du premier au dernier instantané (les jours suivent le fuseau, heure d'été comprise)."""
    if not seen:
        return []
    buckets, current, tz = [], seen[0], ZoneInfo(zone)
    while current <= seen[-1]:
        buckets.append(current)
        following = (current.astimezone(tz) + step).replace(tzinfo=None)
        current = following.replace(tzinfo=tz) if kind == "day" else current + step
    return buckets


def _change(points: list[tuple[datetime, Decimal | None]]) -> dict:
    known = [value for _, value in points if value is not None]
    if not known:
        return {"usd": None, "pct": None}
    usd = known[-1] - known[0]
    return {"usd": usd, "pct": (usd / known[0] * 100).quantize(CENT) if known[0] else None}


def _shown(points: list[tuple[datetime, Decimal | None]]) -> list[dict]:
    return [{"time": bucket, "total_usd": value} for bucket, value in points]
