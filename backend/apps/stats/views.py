from datetime import timedelta

from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.brokers.models import Broker
from apps.core.csv_export import french_csv
from apps.core.scoping import owned
from apps.core.serializers import decimal_text
from apps.stats.serializers import BalanceSeriesSerializer, PerformanceSerializer, PeriodSerializer
from apps.stats.services.balance import balance_series
from apps.stats.services.performance import closed_positions, performance
from apps.stats.services.trades_export import TRADE_COLUMNS, trade_rows

DEFAULT_PERIOD = timedelta(days=30)
PERIOD_PARAMETERS = [
    OpenApiParameter("broker", str, description="ids séparés par des virgules (aucun : tous)"),
    OpenApiParameter("from", str),
    OpenApiParameter("to", str),
    OpenApiParameter("source", str, enum=["manual", "webhook", "strategy"]),
]


def _brokers(request, ids: list[int] | None) -> list[Broker]:
    """Les brokers demandés, à l'utilisateur ; un id inconnu ou d'un autre utilisateur → 404."""
    mine = owned(Broker.objects.order_by("pk"), request.user)
    if not ids:
        return list(mine)
    found = list(mine.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise Http404("Broker introuvable.")
    return found


def _period(request) -> dict:
    """?broker=1,2&from=…&to=…&interval=… lus et vérifiés : brokers, start, end, interval."""
    params = request.query_params
    raw_brokers = [part for part in params.get("broker", "").split(",") if part.strip()]
    named = (("start", "from"), ("end", "to"), ("interval", "interval"), ("source", "source"))
    query = PeriodSerializer(
        data={
            **({"broker": raw_brokers} if raw_brokers else {}),
            **{key: params[name] for key, name in named if params.get(name)},
        }
    )
    if not query.is_valid():
        raise ValidationError(query.errors)
    data = query.validated_data
    end = data.get("end") or timezone.now()
    start = data.get("start") or end - DEFAULT_PERIOD
    interval = data.get("interval") or ("1h" if end - start <= timedelta(days=7) else "1d")
    return {
        "brokers": _brokers(request, data.get("broker")),
        "start": start,
        "end": end,
        "interval": interval,
        "source": data.get("source", ""),
    }


def _closed(period: dict):
    return closed_positions(
        brokers=period["brokers"], start=period["start"], end=period["end"], source=period["source"]
    )


class BalanceView(APIView):
    @extend_schema(
        parameters=[*PERIOD_PARAMETERS, OpenApiParameter("interval", str, enum=["1h", "1d"])],
        responses=BalanceSeriesSerializer,
    )
    def get(self, request):
        period = _period(request)
        series = balance_series(
            brokers=period["brokers"],
            start=period["start"],
            end=period["end"],
            interval=period["interval"],
            zone=request.user.display_timezone or "UTC",
        )
        return Response(BalanceSeriesSerializer({**series, "start": period["start"], "end": period["end"]}).data)


class PerformanceView(APIView):
    """Les métriques des positions clôturées sur la période, regroupées par `by`."""

    by = "overall"
    curves = False

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=PerformanceSerializer(many=True))
    def get(self, request):
        period = _period(request)
        positions = _closed(period)
        return Response(PerformanceSerializer(performance(positions, by=self.by, curves=self.curves), many=True).data)


class SummaryView(APIView):
    @extend_schema(parameters=PERIOD_PARAMETERS)
    def get(self, request):
        period = _period(request)
        positions = _closed(period)
        balance = balance_series(
            brokers=period["brokers"],
            start=period["start"],
            end=period["end"],
            interval=period["interval"],
            zone=request.user.display_timezone or "UTC",
        )
        rows = {
            by: PerformanceSerializer(performance(positions, by=by), many=True).data
            for by in ("overall", "source", "broker")
        }
        change = balance["total"]["change"]
        return Response(
            {
                **rows,
                "balance_change": {"usd": decimal_text(change["usd"]), "pct": decimal_text(change["pct"])},
                "start": period["start"],
                "end": period["end"],
            }
        )


class TradesCsvView(APIView):
    @extend_schema(parameters=PERIOD_PARAMETERS, responses={(200, "text/csv"): str})
    def get(self, request):
        period = _period(request)
        positions = _closed(period)
        response = HttpResponse(
            french_csv(TRADE_COLUMNS, trade_rows(positions)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="trades.csv"'
        return response
