from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.scoping import owned
from apps.webhooks.models import Webhook
from apps.webhooks.serializers import WebhookDetailSerializer, WebhookSerializer, WebhookTokenSerializer
from apps.webhooks.services import tokens
from apps.webhooks.services.receiving import SenderRefused, receive


class TradingViewReceiveView(APIView):
    """Réception d'une alerte TradingView : le corps brut est enregistré, l'ordre passé ensuite par le worker.

    200 reçu (ou doublon), 400 signal invalide (enregistré), 403 IP refusée (enregistrée), 404 jeton inconnu
    (rien d'enregistré).
    """

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request={"application/json": OpenApiTypes.OBJECT, "text/plain": OpenApiTypes.STR},
                   responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT,
                              404: OpenApiTypes.OBJECT})
    def post(self, request, token: str):
        try:
            webhook = receive(token=token, body=request.body, content_type=request.content_type or "",
                              headers=request.headers, remote_addr=request.META.get("REMOTE_ADDR"))
        except SenderRefused as refused:
            return Response({"id": refused.webhook.pk, "detail": refused.webhook.error},
                            status=status.HTTP_403_FORBIDDEN)
        if webhook is None:
            return Response({"detail": "Webhook inconnu."}, status=status.HTTP_404_NOT_FOUND)
        answer = {"id": webhook.pk, "status": webhook.status}
        if webhook.status == Webhook.Status.INVALID:
            return Response({**answer, "detail": webhook.error}, status=status.HTTP_400_BAD_REQUEST)
        return Response(answer)


class WebhookTokenView(APIView):
    """Le jeton de l'utilisateur (créé à la première lecture) et le filtrage des IP TradingView."""

    serializer_class = WebhookTokenSerializer

    def get(self, request):
        return Response(WebhookTokenSerializer(tokens.token_for(request.user)).data)

    def put(self, request):
        serializer = WebhookTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = tokens.set_tradingview_only(user=request.user, enabled=serializer.validated_data["tradingview_only"])
        return Response(WebhookTokenSerializer(token).data)


class WebhookTokenRegenerateView(APIView):
    serializer_class = WebhookTokenSerializer

    @extend_schema(request=None)
    def post(self, request):
        return Response(WebhookTokenSerializer(tokens.regenerate_token(user=request.user)).data)


class WebhookPagination(PageNumberPagination):
    page_size = 50


def _webhooks(request):
    return owned(Webhook.objects.select_related("user", "trade__broker"), request.user)


class WebhookListView(ListAPIView):
    serializer_class = WebhookSerializer
    pagination_class = WebhookPagination

    def get_queryset(self):
        return _webhooks(self.request).defer("body", "headers")


class WebhookDetailView(RetrieveAPIView):
    serializer_class = WebhookDetailSerializer

    def get_queryset(self):
        return _webhooks(self.request)
