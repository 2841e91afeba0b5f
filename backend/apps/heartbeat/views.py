from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.heartbeat.bars import TIMEFRAMES
from apps.heartbeat.binance import EXCHANGE
from apps.heartbeat.models import HeartbeatConfig
from apps.heartbeat.serializers import HeartbeatConfigSerializer
from apps.market_data.selectors import latest_candles
from apps.market_data.serializers import CandleSerializer
from apps.heartbeat.config import heartbeat_config_data, heartbeat_symbols_update
from apps.heartbeat.status_bar import status_snapshot


class StatusView(APIView):
    def get(self, request):
        return Response(status_snapshot())


class HeartbeatConfigView(APIView):
    """Symboles suivis par le heartbeat (données de marché partagées : tout utilisateur connecté)."""

    @extend_schema(responses=HeartbeatConfigSerializer)
    def get(self, request):
        return Response(heartbeat_config_data())

    @extend_schema(request=HeartbeatConfigSerializer, responses=HeartbeatConfigSerializer)
    def put(self, request):
        serializer = HeartbeatConfigSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        heartbeat_symbols_update(symbols=serializer.validated_data["symbols"])
        return Response(heartbeat_config_data())


class LatestCandlesView(APIView):
    """La dernière bougie clôturée de chaque symbole suivi et de chaque unité : la page Heartbeat s'en
    sert au chargement, puis suit les messages `candle`."""

    @extend_schema(responses=CandleSerializer(many=True))
    def get(self, request):
        candles = latest_candles(exchange=EXCHANGE, symbols=HeartbeatConfig.load().symbols, timeframes=TIMEFRAMES)
        return Response(CandleSerializer(candles, many=True).data)
