"""Ce qu'ont rapporté les positions clôturées, par broker, par activation de stratégie, par source de webhook et
en tout : totaux et courbes de P&L cumulé calculés en base (agrégats, fenêtres), ratios par `core.metrics`.

Les montants sont dans la devise de cotation de chaque paire : une ligne par groupe et par cotation (on n'additionne
jamais des USDT et des BTC)."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.apps import apps as django_apps
from django.db.models import Count, F, Func, Max, Min, Q, QuerySet, Sum, TextField, Value, Window
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, NullIf

from apps.brokers.models import Broker
from apps.core.metrics import pnl_drawdown, totals_metrics
from apps.orders.models import Position, Trade

CENT = Decimal("0.01")
ZERO = Decimal(0)
SOURCES = dict(Position._meta.get_field("source").choices)


def closed_positions(*, brokers: Iterable[Broker], start: datetime, end: datetime, source: str = "") -> QuerySet:
    positions = Position.objects.filter(
        broker__in=list(brokers), status=Position.Status.CLOSED, closed_at__gte=start, closed_at__lte=end
    )
    return positions.filter(source=source) if source else positions


def activation_labels(ids: Iterable[int]) -> dict[int, str]:
    """« Nom de la stratégie · paire · unité » de chaque activation. Le modèle est nommé par le registre des apps :
    les statistiques n'importent pas le moteur (qui, lui, les importe pour ses instantanés)."""
    activations = django_apps.get_model("trading_engine", "ActiveStrategy").objects
    rows = activations.filter(pk__in=set(ids)).values_list("pk", "strategy__name", "symbol", "timeframe")
    return {pk: f"{name} · {symbol} · {timeframe}" for pk, name, symbol, timeframe in rows}


def _quote():
    return Func(F("symbol"), Value("/"), Value(2), function="split_part", output_field=TextField())


def webhook_label():
    comment = NullIf(KeyTextTransform("comment", "webhook__signal"), Value(""), output_field=TextField())
    return Coalesce(comment, Value("Webhook"), output_field=TextField())


GROUPS = {
    "overall": ({}, ()),
    "source": ({}, ("source",)),
    "broker": ({}, ("broker_id", "broker__name")),
    "strategy": ({"source": Trade.Source.STRATEGY}, ("active_strategy_id",)),
    "webhook": ({"source": Trade.Source.WEBHOOK}, ("label",)),
}


def performance(positions: QuerySet, *, by: str, curves: bool = False) -> list[dict]:
    """Une ligne par groupe (`by` : overall, source, broker, strategy, webhook) et par cotation : P&L réalisé (en
    cotation et en % des mises), trades, taux de réussite, facteur de profit, espérance, gain / perte moyens,
    baisse maximale de la courbe de P&L, meilleur / pire trade, frais ; `curves` ajoute la courbe cumulée."""
    where, keys = GROUPS[by]
    rows = positions.filter(**where).annotate(quote=_quote())
    if by == "webhook":
        rows = rows.annotate(label=webhook_label())
    grouping = (*keys, "quote")
    totals = rows.values(*grouping).annotate(
        count=Count("pk"),
        wins=Count("pk", filter=Q(realized_pnl__gt=0)),
        losses=Count("pk", filter=Q(realized_pnl__lt=0)),
        gross_win=Coalesce(Sum("realized_pnl", filter=Q(realized_pnl__gt=0)), ZERO),
        gross_loss=Coalesce(-Sum("realized_pnl", filter=Q(realized_pnl__lt=0)), ZERO),
        net=Sum("realized_pnl"),
        fees=Sum("fees"),
        cost=Sum("entry_cost"),
        stake=Max("entry_cost"),
        best=Max("realized_pnl"),
        worst=Min("realized_pnl"),
    )
    cumulated = (
        rows.annotate(
            cumulative=Window(
                Sum("realized_pnl"),
                partition_by=[F(key) for key in keys] + [_quote()],
                order_by=[F("closed_at").asc(), F("pk").asc()],
            )
        )
        .order_by("closed_at", "pk")
        .values_list(*grouping, "closed_at", "cumulative")
    )
    points: dict[tuple, list] = {}
    for *group, closed_at, cumulative in cumulated:
        points.setdefault(tuple(group), []).append((closed_at, cumulative))
    result = []
    for total in totals.order_by(*grouping):
        group = tuple(total[key] for key in grouping)
        curve = points.get(group, [])
        drawdown, drawdown_pct = pnl_drawdown([value for _, value in curve], base=total["stake"])
        ratios = totals_metrics(
            count=total["count"],
            wins=total["wins"],
            losses=total["losses"],
            gross_win=total["gross_win"],
            gross_loss=total["gross_loss"],
            best=total["best"],
            worst=total["worst"],
        )
        row = {
            **{key: total[key] for key in keys},
            "quote": total["quote"],
            "realized_pnl": total["net"],
            "realized_pnl_pct": _rounded(total["net"] / total["cost"] * 100) if total["cost"] else None,
            **ratios,
            "win_rate": _rounded(ratios["win_rate"]),
            "profit_factor": _rounded(ratios["profit_factor"]),
            "max_drawdown": drawdown,
            "max_drawdown_pct": _rounded(drawdown_pct),
            "fees": total["fees"],
        }
        if "source" in keys:
            row["source_label"] = SOURCES.get(total["source"], total["source"])
        if curves:
            row["curve"] = [{"time": closed_at, "pnl": value} for closed_at, value in curve]
        result.append(row)
    if by == "strategy":
        labels = activation_labels(row["active_strategy_id"] for row in result)
        for row in result:
            row["label"] = labels.get(row["active_strategy_id"], f"Activation n° {row['active_strategy_id']}")
    return result


def _rounded(value):
    return None if value is None else Decimal(value).quantize(CENT)
