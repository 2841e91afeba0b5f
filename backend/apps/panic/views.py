from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.panic import cut, halts, scope
from apps.panic.models import CutRun
from apps.panic.serializers import CutRunSerializer, EntryHaltSerializer, ScopeSerializer


def _broker_id(data) -> int | None:
    serializer = ScopeSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data.get("broker")


def _state(user) -> dict:
    last = CutRun.objects.filter(user=user).first()
    return {
        "halts": EntryHaltSerializer(halts.halts_of(user), many=True).data,
        "last_run": CutRunSerializer(last).data if last else None,
    }


class CutView(APIView):
    """GET : entrées arrêtées et dernière passe ; POST : « Tout couper » (un broker ou tous), rend le rapport."""

    def get(self, request):
        return Response(_state(request.user))

    @extend_schema(request=ScopeSerializer, responses=CutRunSerializer)
    def post(self, request):
        run, started = cut.cut_everything(user=request.user, broker_id=_broker_id(request.data))
        return Response({**CutRunSerializer(run).data, "started": started})


class CutPreviewView(APIView):
    """Ce que « Tout couper » fera, par broker (dialogue de confirmation)."""

    @extend_schema(parameters=[OpenApiParameter("broker", int, required=False)])
    def get(self, request):
        preview = scope.preview(user=request.user, broker_id=_broker_id(request.query_params))
        return Response({**preview, **_state(request.user)})


class ResumeEntriesView(APIView):
    """« Reprendre les entrées » : d'un broker, ou de tous."""

    @extend_schema(request=ScopeSerializer)
    def post(self, request):
        broker_id = _broker_id(request.data)
        broker = None if broker_id is None else scope.brokers_in_scope(user=request.user, broker_id=broker_id)[0]
        resumed = halts.resume(user=request.user, broker=broker)
        return Response({"resumed": resumed, **_state(request.user)})
