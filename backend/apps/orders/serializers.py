from rest_framework import serializers

from apps.core.serializers import DecimalText
from apps.orders.models import Trade


class TradeSerializer(serializers.ModelSerializer):
    """Un Trade tel que le voient l'API et le WebSocket (message `order`)."""

    broker_name = serializers.CharField(source="broker.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    quantity = DecimalText()
    amount = DecimalText()
    percent = DecimalText()
    price = DecimalText()
    filled_quantity = DecimalText()
    average_price = DecimalText()
    fee = DecimalText()
    fee_currency = serializers.CharField(read_only=True)
    refresh_error = serializers.SerializerMethodField()
    stop_loss = DecimalText()
    take_profit = DecimalText()

    class Meta:
        model = Trade
        fields = [
            "id",
            "broker",
            "broker_name",
            "source",
            "symbol",
            "side",
            "type",
            "quantity",
            "amount",
            "percent",
            "price",
            "status",
            "status_label",
            "client_order_id",
            "exchange_order_id",
            "filled_quantity",
            "average_price",
            "fee",
            "fee_currency",
            "fees",
            "stop_loss",
            "take_profit",
            "error",
            "refresh_error",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_refresh_error(self, trade: Trade) -> str:
        """Erreur de la dernière relecture chez l'exchange (liste des ordres ouverts), vide sinon."""
        return getattr(trade, "refresh_error", "")
