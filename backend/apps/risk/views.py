from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.risk import services
from apps.risk.serializers import LimitsInputSerializer, OverviewSerializer


class BrokerLimitsView(APIView):
    """Les limites de risque d'un broker et leur état (GET), leur modification (PUT)."""

    @extend_schema(responses=OverviewSerializer)
    def get(self, request, pk: int):
        return Response(OverviewSerializer(services.overview(user=request.user, broker_id=pk)).data)

    @extend_schema(request=LimitsInputSerializer, responses=OverviewSerializer)
    def put(self, request, pk: int):
        serializer = LimitsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = services.update(user=request.user, broker_id=pk, values=serializer.validated_data)
        return Response(OverviewSerializer(data).data)
