from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.scoping import owned
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.serializers import (
    ActivationCreateSerializer,
    ActivationSerializer,
    ActivationUpdateSerializer,
    StopSerializer,
)
from apps.trading_engine.services import activations as services


def _activation(request, pk: int) -> ActiveStrategy:
    return services.owned_activation(user=request.user, activation_id=pk)


def _shown(activation: ActiveStrategy, code=status.HTTP_200_OK) -> Response:
    return Response(ActivationSerializer(activation).data, status=code)


class ActivationListView(APIView):
    @extend_schema(responses=ActivationSerializer(many=True))
    def get(self, request):
        activations = owned(ActiveStrategy.objects.select_related("strategy", "version", "broker"), request.user)
        return Response(ActivationSerializer(activations, many=True).data)

    @extend_schema(request=ActivationCreateSerializer, responses={201: ActivationSerializer})
    def post(self, request):
        serializer = ActivationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        activation = services.activation_create(
            user=request.user,
            strategy_id=data["strategy"],
            broker_id=data["broker"],
            symbol=data["symbol"],
            timeframe=data.get("timeframe") or None,
            start_date=data["start_date"],
            end_date=data["end_date"],
            initial_amount=data["initial_amount"],
        )
        return _shown(activation, status.HTTP_201_CREATED)


class ActivationDetailView(APIView):
    @extend_schema(responses=ActivationSerializer)
    def get(self, request, pk: int):
        return _shown(_activation(request, pk))

    @extend_schema(request=ActivationUpdateSerializer, responses=ActivationSerializer)
    def patch(self, request, pk: int):
        activation = _activation(request, pk)
        serializer = ActivationUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _shown(services.activation_update(activation=activation, **serializer.validated_data))


class ActivationSellView(APIView):
    @extend_schema(request=None, responses=ActivationSerializer)
    def post(self, request, pk: int):
        return _shown(services.activation_sell(activation=_activation(request, pk)))


class ActivationStopView(APIView):
    @extend_schema(request=StopSerializer, responses=ActivationSerializer)
    def post(self, request, pk: int):
        activation = _activation(request, pk)
        serializer = StopSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _shown(services.activation_stop(activation=activation, sell=serializer.validated_data["sell"]))


class ActivationSwitchVersionView(APIView):
    """« Passer à la nouvelle version » : la version actuelle de la stratégie, si elle a passé « Tester »."""

    @extend_schema(request=None, responses=ActivationSerializer)
    def post(self, request, pk: int):
        return _shown(services.activation_switch_version(activation=_activation(request, pk)))


class ActivationSuspendView(APIView):
    @extend_schema(request=None, responses=ActivationSerializer)
    def post(self, request, pk: int):
        return _shown(services.activation_suspend(activation=_activation(request, pk)))


class ActivationResumeView(APIView):
    @extend_schema(request=None, responses=ActivationSerializer)
    def post(self, request, pk: int):
        return _shown(services.activation_resume(activation=_activation(request, pk)))
