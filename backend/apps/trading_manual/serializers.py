from rest_framework import serializers

from apps.core.serializers import DecimalText

NUMBER = {"required": False, "allow_null": True, "allow_blank": True, "max_length": 64}


class PlaceOrderSerializer(serializers.Serializer):
    """La demande telle que saisie : les nombres restent du texte, vérifié (en français) par le service d'ordres."""

    broker = serializers.IntegerField()
    symbol = serializers.CharField(max_length=64)
    side = serializers.CharField(max_length=8)
    order_type = serializers.CharField(max_length=16, default="market")
    quantity = serializers.CharField(**NUMBER)
    amount = serializers.CharField(**NUMBER)
    percent = serializers.CharField(**NUMBER)
    price = serializers.CharField(**NUMBER)
    stop_loss = serializers.CharField(**NUMBER)
    take_profit = serializers.CharField(**NUMBER)
    client_order_id = serializers.CharField(required=False, allow_null=True, max_length=64)
    # confirmation explicite : passer outre les limites de risque atteintes (enregistrée)
    override_limits = serializers.BooleanField(required=False, default=False)


class AssetSerializer(serializers.Serializer):
    asset = serializers.CharField()
    free = DecimalText()
    used = DecimalText()
    total = DecimalText()
    usd_price = DecimalText()
    usd_value = DecimalText()


class PortfolioSerializer(serializers.Serializer):
    assets = AssetSerializer(many=True)
    total_usd = DecimalText()


class TickerSerializer(serializers.Serializer):
    symbol = serializers.CharField()
    last = DecimalText()
    bid = DecimalText()
    ask = DecimalText()
    timestamp = serializers.IntegerField(allow_null=True)


class TradeFilterSerializer(serializers.Serializer):
    broker = serializers.IntegerField(required=False)
    symbol = serializers.CharField(required=False)
    source = serializers.CharField(required=False)
    status = serializers.CharField(required=False)
