from rest_framework import serializers

from apps.market_data.models import Market


class MarketSerializer(serializers.ModelSerializer):
    class Meta:
        model = Market
        fields = ["id", "exchange", "symbol", "base", "quote", "type", "active", "precision", "limits", "updated_at"]
