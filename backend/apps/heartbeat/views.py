from drf_spectacular.utils import extend_schema
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.heartbeat.bars import TIMEFRAMES
from apps.heartbeat.binance import EXCHANGE
from apps.heartbeat.config import heartbeat_config_data, heartbeat_symbols_update
from apps.heartbeat.models import HeartbeatConfig
from apps.heartbeat.serializers import HeartbeatConfigSerializer
from apps.heartbeat.status_bar import status_snapshot, user_sections
from apps.market_data.selectors import latest_candles
from apps.market_data.serializers import CandleSerializer


class StatusView(APIView):
    def get(self, request):
        return Response({**status_snapshot(request.user.id), **user_sections(request.user)})


class StaffWrites(BasePermission):
    """Lecture pour tout utilisateur connecté ; modification réservée aux administrateurs (elle change les paires
    paper de tous les utilisateurs)."""

    message = "Réservé aux administrateurs : les symboles suivis valent pour tous les utilisateurs."

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_staff)


class HeartbeatConfigView(APIView):
    """Symboles suivis par le heartbeat (données de marché partagées)."""

    permission_classes = [IsAuthenticated, StaffWrites]

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
