from rest_framework import serializers

from apps.orders.serializers import TradeSerializer
from apps.webhooks.models import RECEIVE_PATH, Webhook, WebhookToken
from apps.webhooks.services.tokens import TRADINGVIEW_IPS

SIGNAL_FIELDS = (
    "action",
    "symbol",
    "broker",
    "quantity",
    "amount",
    "percent",
    "order_type",
    "price",
    "stop_loss",
    "take_profit",
    "comment",
)


class WebhookSerializer(serializers.ModelSerializer):
    """Une ligne de la liste (API et message WebSocket `webhook`), sans le corps brut."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    owner = serializers.CharField(source="user.username", read_only=True)
    trade = TradeSerializer(read_only=True)

    class Meta:
        model = Webhook
        fields = [
            "id",
            "owner",
            "received_at",
            "processed_at",
            "status",
            "status_label",
            "signal_id",
            "error",
            "source_ip",
            "trade",
        ]
        read_only_fields = fields

    def to_representation(self, webhook: Webhook) -> dict:
        data = super().to_representation(webhook)
        signal = webhook.signal or {}
        # Champs du signal tels que lus (nombres en texte) ; vides pour un webhook invalide.
        data.update({field: signal.get(field) for field in SIGNAL_FIELDS})
        return data


class WebhookDetailSerializer(WebhookSerializer):
    body = serializers.CharField(source="body_text", read_only=True)

    class Meta(WebhookSerializer.Meta):
        fields = WebhookSerializer.Meta.fields + ["body", "content_type", "headers", "signal"]
        read_only_fields = fields


class WebhookTokenSerializer(serializers.ModelSerializer):
    path = serializers.SerializerMethodField()
    tradingview_ips = serializers.SerializerMethodField()

    class Meta:
        model = WebhookToken
        fields = ["token", "path", "tradingview_only", "tradingview_ips", "updated_at"]
        read_only_fields = ["token", "path", "tradingview_ips", "updated_at"]
        extra_kwargs = {"tradingview_only": {"required": True}}

    def get_path(self, token: WebhookToken) -> str:
        return RECEIVE_PATH.format(token=token.token)

    def get_tradingview_ips(self, token: WebhookToken) -> list[str]:
        return list(TRADINGVIEW_IPS)
