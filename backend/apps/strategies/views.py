from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.scoping import owned
from apps.strategies.contract.template import TEMPLATE_CODE
from apps.strategies.models import Strategy
from apps.strategies.serializers import (
    CheckResultSerializer,
    CodeSerializer,
    StrategyListSerializer,
    StrategySerializer,
    TemplateSerializer,
)
from apps.strategies.services import strategies as services
from apps.strategies.services.testing import check_code, strategy_test


def _strategies(request):
    return owned(Strategy.objects.select_related("user"), request.user)


def _strategy(request, pk: int) -> Strategy:
    return get_object_or_404(_strategies(request), pk=pk)


class StrategyListView(APIView):
    @extend_schema(responses=StrategyListSerializer(many=True))
    def get(self, request):
        return Response(StrategyListSerializer(_strategies(request), many=True).data)

    @extend_schema(request=StrategySerializer, responses={201: StrategySerializer})
    def post(self, request):
        serializer = StrategySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        strategy = services.strategy_create(user=request.user, data=serializer.validated_data)
        return Response(StrategySerializer(strategy).data, status=status.HTTP_201_CREATED)


@extend_schema(request=StrategySerializer, responses=StrategySerializer)
class StrategyDetailView(APIView):
    def get(self, request, pk: int):
        return Response(StrategySerializer(_strategy(request, pk)).data)

    def put(self, request, pk: int):
        strategy = _strategy(request, pk)
        serializer = StrategySerializer(strategy, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        strategy = services.strategy_update(strategy=strategy, data=serializer.validated_data)
        return Response(StrategySerializer(strategy).data)

    patch = put

    def delete(self, request, pk: int):
        services.strategy_delete(strategy=_strategy(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class StrategyValidateView(APIView):
    """« Tester » un code pas encore enregistré."""

    @extend_schema(request=CodeSerializer, responses=CheckResultSerializer)
    def post(self, request):
        serializer = CodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = check_code(user_id=request.user.pk, **serializer.validated_data)
        return Response(report.as_dict())


class StrategyTestView(APIView):
    """« Tester » une stratégie enregistrée ; le résultat est gardé sur la stratégie."""

    @extend_schema(request=None, responses=CheckResultSerializer)
    def post(self, request, pk: int):
        return Response(strategy_test(strategy=_strategy(request, pk)).as_dict())


class StrategyTemplateView(APIView):
    @extend_schema(responses=TemplateSerializer)
    def get(self, request):
        return Response({"code": TEMPLATE_CODE})
