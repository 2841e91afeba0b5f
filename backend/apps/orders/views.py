from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.orders import marks
from apps.orders.models import Trade
from apps.orders.selectors import STATUS_FILTERS, positions_list
from apps.orders.serializers import MarkSerializer, PositionSerializer
from apps.orders.services import close_owned_position


class PositionFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=sorted(STATUS_FILTERS), required=False)
    broker = serializers.IntegerField(required=False, min_value=1)
    symbol = serializers.CharField(required=False, max_length=64)
    source = serializers.ChoiceField(choices=Trade.Source.values, required=False)


class PositionPagination(PageNumberPagination):
    page_size = 50


class PositionListView(ListAPIView):
    """Les positions de l'utilisateur, filtrées (status=open|closed, broker, symbol, source) et paginées."""

    serializer_class = PositionSerializer
    pagination_class = PositionPagination

    @extend_schema(parameters=[PositionFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = PositionFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return positions_list(user=self.request.user, **filters.validated_data)


class MarkFilterSerializer(serializers.Serializer):
    broker = serializers.IntegerField(required=False, min_value=1)
    source = serializers.ChoiceField(choices=Trade.Source.values, required=False)


class PositionMarksView(APIView):
    """Les positions en cours au dernier prix : prix courant, valeur, P&L latent (filtres broker, source)."""

    @extend_schema(parameters=[MarkFilterSerializer], responses=MarkSerializer(many=True))
    def get(self, request):
        filters = MarkFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return Response(MarkSerializer(marks.open_marks(user=request.user, **filters.validated_data), many=True).data)


class PositionDetailView(RetrieveAPIView):
    serializer_class = PositionSerializer

    def get_queryset(self):
        return positions_list(user=self.request.user)


class PositionCloseView(APIView):
    """« Clôturer » : protection retirée, puis vente au marché de la quantité détenue."""

    @extend_schema(request=None, responses=PositionSerializer)
    def post(self, request, pk: int):
        position = close_owned_position(user=request.user, position_id=pk)
        fresh = positions_list(user=request.user).get(pk=position.pk)
        return Response(PositionSerializer(fresh).data)
