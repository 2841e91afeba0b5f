from django.http import JsonResponse
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.scoping import owned
from apps.webhooks.models import Webhook
from apps.webhooks.serializers import WebhookDetailSerializer, WebhookSerializer, WebhookTokenSerializer
from apps.webhooks.services import tokens
from apps.webhooks.receiving_pool import in_receiving_pool
from apps.webhooks.services.events import notify_async, shown
from apps.webhooks.services.receiving import SenderRefused, TooManyDeliveries, receive


def _receive(token: str, request) -> tuple[int, dict, Webhook | None, dict | None]:
    """Partie synchrone de la réception (base) : (code HTTP, corps, webhook, ligne pour la page)."""
    try:
        webhook = receive(token=token, body=request.body, content_type=request.content_type or "",
                          headers=request.headers, remote_addr=request.META.get("REMOTE_ADDR"))
    except TooManyDeliveries as refused:
        return 429, {"id": refused.webhook.pk, "detail": refused.webhook.error}, refused.webhook, shown(refused.webhook)
    except SenderRefused as refused:
        return 403, {"id": refused.webhook.pk, "detail": refused.webhook.error}, refused.webhook, shown(refused.webhook)
    if webhook is None:
        return 404, {"detail": "Webhook inconnu."}, None, None
    answer = {"id": webhook.pk, "status": webhook.status}
    if webhook.status == Webhook.Status.INVALID:
        return 400, {**answer, "detail": webhook.error}, webhook, shown(webhook)
    return 200, answer, webhook, shown(webhook)


async def tradingview_receive(request, token: str):
    """Réception d'une alerte TradingView : le corps brut est enregistré, l'ordre passé ensuite par le worker.

    200 reçu (ou doublon), 400 signal invalide, 403 IP refusée, 429 débit dépassé (tous enregistrés), 404 jeton
    inconnu (rien d'enregistré). Vue asynchrone et légère (ni DRF ni session) : la partie en base tourne dans le fil
    de sa requête, la publication vers la page et le worker sur la boucle de Daphne.
    """
    if request.method != "POST":
        return JsonResponse({"detail": "Méthode non permise : envoyez l'alerte en POST."}, status=405)
    code, body, webhook, row = await in_receiving_pool(_receive, token, request)
    if webhook is not None:
        await notify_async(webhook, row)
    return JsonResponse(body, status=code, json_dumps_params={"ensure_ascii": False})


tradingview_receive.csrf_exempt = True  # appelé par TradingView, sans session ni cookie (csrf_exempt de Django 4.2
# ne garde pas une vue asynchrone)


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
