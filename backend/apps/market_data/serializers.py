from rest_framework import serializers

from apps.market_data.models import Candle, Market


class MarketSerializer(serializers.ModelSerializer):
    class Meta:
        model = Market
        fields = ["id", "exchange", "symbol", "base", "quote", "type", "active", "precision", "limits", "updated_at"]


class CandleSerializer(serializers.ModelSerializer):
    """Même forme que le message `candle` du groupe heartbeat."""

    class Meta:
        model = Candle
        fields = [
            "exchange",
            "symbol",
            "timeframe",
            "open_time",
            "close_time",
            "open",
            "high",
            "low",
            "close",
            "volume",
        ]
