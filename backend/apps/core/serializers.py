from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.models import Trade
from apps.core.services.heartbeat_config import MAX_SYMBOLS
from apps.market_data.models import Candle


class HeartbeatConfigSerializer(serializers.Serializer):
    symbols = serializers.ListField(child=serializers.CharField(max_length=41), max_length=MAX_SYMBOLS)
    timeframes = serializers.ListField(child=serializers.CharField(), read_only=True)


def decimal_text(value: Decimal | None) -> str | None:
    """Decimal → texte sans exposant ni zéros inutiles (« 0.01 », « 50000 ») ; None reste None."""
    return None if value is None else format(value.normalize(), "f")


@extend_schema_field(OpenApiTypes.DECIMAL)
class DecimalText(serializers.Field):
    """Nombre en lecture seule, rendu par decimal_text."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return decimal_text(value)


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
    stop_loss = DecimalText()
    take_profit = DecimalText()

    class Meta:
        model = Trade
        fields = ["id", "broker", "broker_name", "source", "symbol", "side", "type", "quantity", "amount", "percent",
                  "price", "status", "status_label", "client_order_id", "exchange_order_id", "filled_quantity",
                  "average_price", "fee", "fee_currency", "stop_loss", "take_profit", "error", "created_at",
                  "updated_at"]
        read_only_fields = fields


class CandleSerializer(serializers.ModelSerializer):
    """Même forme que le message `candle` du groupe heartbeat."""

    class Meta:
        model = Candle
        fields = ["exchange", "symbol", "timeframe", "open_time", "close_time", "open", "high", "low", "close",
                  "volume"]
