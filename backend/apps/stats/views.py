from datetime import timedelta

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.brokers.models import Broker
from apps.core.scoping import owned
from apps.stats.serializers import BalanceQuerySerializer, BalanceSeriesSerializer
from apps.stats.services.balance import balance_series

DEFAULT_PERIOD = timedelta(days=30)


def _brokers(request, ids: list[int] | None) -> list[Broker]:
    """Les brokers demandés, à l'utilisateur ; un id inconnu ou d'un autre utilisateur → 404."""
    mine = owned(Broker.objects.order_by("pk"), request.user)
    if not ids:
        return list(mine)
    found = list(mine.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise Http404("Broker introuvable.")
    return found


class BalanceView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("broker", str, description="ids séparés par des virgules (aucun : tous)"),
            OpenApiParameter("from", str),
            OpenApiParameter("to", str),
            OpenApiParameter("interval", str, enum=["1h", "1d"]),
        ],
        responses=BalanceSeriesSerializer,
    )
    def get(self, request):
        params = request.query_params
        raw_brokers = [part for part in params.get("broker", "").split(",") if part.strip()]
        query = BalanceQuerySerializer(
            data={
                **({"broker": raw_brokers} if raw_brokers else {}),
                **{
                    key: params[name]
                    for key, name in (("start", "from"), ("end", "to"), ("interval", "interval"))
                    if params.get(name)
                },
            }
        )
        if not query.is_valid():
            raise ValidationError(query.errors)
        data = query.validated_data
        end = data.get("end") or timezone.now()
        start = data.get("start") or end - DEFAULT_PERIOD
        interval = data.get("interval") or ("1h" if end - start <= timedelta(days=7) else "1d")
        series = balance_series(
            brokers=_brokers(request, data.get("broker")),
            start=start,
            end=end,
            interval=interval,
            zone=request.user.display_timezone,
        )
        return Response(BalanceSeriesSerializer({**series, "start": start, "end": end}).data)
