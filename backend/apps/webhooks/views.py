from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.scoping import owned
from apps.webhooks.models import Webhook
from apps.webhooks.serializers import WebhookDetailSerializer, WebhookSerializer, WebhookTokenSerializer
from apps.webhooks.services import tokens


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
