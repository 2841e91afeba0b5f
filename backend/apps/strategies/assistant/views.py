from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.strategies.assistant.exceptions import AssistantUnavailable
from apps.strategies.assistant.prompt import build_messages
from apps.strategies.assistant.providers import assistant_status, provider_for
from apps.strategies.assistant.serializers import AssistantRequestSerializer
from apps.strategies.assistant.streaming import answer_response


class AssistantView(APIView):
    @extend_schema(
        request=AssistantRequestSerializer,
        responses={200: OpenApiResponse(description="Flux NDJSON : start, delta…, done ou error")},
    )
    def post(self, request):
        serializer = AssistantRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            provider = provider_for(user=request.user)
        except AssistantUnavailable as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return answer_response(provider=provider, messages=build_messages(**serializer.validated_data))


class AssistantStatusView(APIView):
    @extend_schema(responses={200: OpenApiResponse(description="{enabled, provider, model, detail}")})
    def get(self, request):
        return Response(assistant_status(user=request.user))
