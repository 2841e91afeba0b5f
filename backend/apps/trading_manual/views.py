from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.brokers.models import Broker
from apps.brokers.valuation import portfolio
from apps.core.entry_gate import refused_by_limits
from apps.core.scoping import owned
from apps.orders import services as orders
from apps.orders.models import Trade
from apps.orders.serializers import TradeSerializer
from apps.trading_manual import services
from apps.trading_manual.selectors import trades_list
from apps.trading_manual.serializers import (
    PlaceOrderSerializer,
    PortfolioSerializer,
    TickerSerializer,
    TradeFilterSerializer,
)

# Réponse HTTP selon l'issue de la tentative : refusée avant envoi → 400, refusée par l'exchange → 502.
PLACED_STATUS = {Trade.Status.REJECTED: status.HTTP_400_BAD_REQUEST, Trade.Status.FAILED: status.HTTP_502_BAD_GATEWAY}


def _broker(request, pk: int) -> Broker:
    return get_object_or_404(owned(Broker.objects.select_related("user"), request.user), pk=pk)


class PortfolioView(APIView):
    @extend_schema(responses=PortfolioSerializer)
    def get(self, request, pk: int):
        data = portfolio(broker=_broker(request, pk))
        return Response(PortfolioSerializer(data).data)


class TickerView(APIView):
    @extend_schema(parameters=[OpenApiParameter("symbol", str, required=True)], responses=TickerSerializer)
    def get(self, request, pk: int):
        broker = _broker(request, pk)
        data = services.ticker(broker=broker, symbol=request.query_params.get("symbol", ""))
        return Response(TickerSerializer(data).data)


class OpenOrdersView(APIView):
    """Les ordres ouverts du broker, relus chez l'exchange."""

    @extend_schema(responses=TradeSerializer(many=True))
    def get(self, request, pk: int):
        trades = orders.refresh_open_orders(user=request.user, broker_id=_broker(request, pk).pk)
        return Response(TradeSerializer(trades, many=True).data)


class TradePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


class TradeListView(ListAPIView):
    """GET : historique filtré (broker, symbol, source, status) et paginé ; POST : passer un ordre."""

    serializer_class = TradeSerializer
    pagination_class = TradePagination

    def get_queryset(self):
        filters = TradeFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return trades_list(user=self.request.user, **filters.validated_data)

    @extend_schema(request=PlaceOrderSerializer, responses={201: TradeSerializer})
    def post(self, request):
        serializer = PlaceOrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        trade = services.place_manual_order(user=request.user, broker_id=data.pop("broker"), **data)
        body = TradeSerializer(trade).data
        code = PLACED_STATUS.get(trade.status, status.HTTP_201_CREATED)
        if code != status.HTTP_201_CREATED:
            overridable = trade.status == Trade.Status.REJECTED and refused_by_limits(trade.error)
            return Response({"detail": trade.error, "trade": body, "risk_limit": overridable}, status=code)
        return Response(body, status=code)


class CancelOrderView(APIView):
    @extend_schema(request=None, responses=TradeSerializer)
    def post(self, request, pk: int):
        trade = orders.cancel_order(user=request.user, trade_id=pk)
        return Response(TradeSerializer(trade).data)


class RefreshOrderView(APIView):
    @extend_schema(request=None, responses=TradeSerializer)
    def post(self, request, pk: int):
        trade = orders.refresh_order(user=request.user, trade_id=pk)
        return Response(TradeSerializer(trade).data)
