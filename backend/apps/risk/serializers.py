from decimal import Decimal

from rest_framework import serializers

from apps.core.serializers import DecimalText
from apps.risk.models import RiskLimits, RiskOverride, RiskReach

SMALLEST = Decimal("0.00000001")
POSITIVE_MONEY = {"max_digits": 30, "decimal_places": 8, "min_value": SMALLEST, "allow_null": True, "required": False}
POSITIVE_PERCENT = {**POSITIVE_MONEY, "max_digits": 7, "decimal_places": 4, "max_value": Decimal(100)}
POSITIVE_COUNT = {"min_value": 1, "max_value": 1_000_000, "allow_null": True, "required": False}


class LimitsInputSerializer(serializers.Serializer):
    """Les limites saisies : vide (null) = désactivée ; sinon un nombre positif (pourcentages au plus 100)."""

    max_daily_loss = serializers.DecimalField(**POSITIVE_MONEY)
    max_daily_loss_pct = serializers.DecimalField(**POSITIVE_PERCENT)
    max_drawdown_pct = serializers.DecimalField(**POSITIVE_PERCENT)
    max_exposure = serializers.DecimalField(**POSITIVE_MONEY)
    max_symbol_exposure = serializers.DecimalField(**POSITIVE_MONEY)
    max_open_positions = serializers.IntegerField(**POSITIVE_COUNT)
    cooldown_losses = serializers.IntegerField(**POSITIVE_COUNT)
    cooldown_minutes = serializers.IntegerField(**POSITIVE_COUNT)
    cooldown_scope = serializers.ChoiceField(choices=RiskLimits.Scope.choices, required=False)

    def validate(self, attrs):
        losses, minutes = attrs.get("cooldown_losses"), attrs.get("cooldown_minutes")
        if (losses is None) != (minutes is None):
            raise serializers.ValidationError(
                "La pause demande les deux valeurs : le nombre de pertes d'affilée et la durée en minutes."
            )
        return attrs


class LimitsSerializer(serializers.Serializer):
    max_daily_loss = DecimalText()
    max_daily_loss_pct = DecimalText()
    max_drawdown_pct = DecimalText()
    max_exposure = DecimalText()
    max_symbol_exposure = DecimalText()
    max_open_positions = serializers.IntegerField(read_only=True)
    cooldown_losses = serializers.IntegerField(read_only=True)
    cooldown_minutes = serializers.IntegerField(read_only=True)
    cooldown_scope = serializers.CharField(read_only=True)


class ReachSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_limit_display", read_only=True)

    class Meta:
        model = RiskReach
        fields = ["id", "limit", "label", "scope", "message", "figures", "reached_at", "until"]


class OverrideSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_limit_display", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = RiskOverride
        fields = ["id", "limit", "label", "message", "figures", "trade", "username", "created_at"]


class OverviewSerializer(serializers.Serializer):
    broker = serializers.IntegerField()
    broker_name = serializers.CharField()
    limits = LimitsSerializer()
    reached = ReachSerializer(many=True)
    overrides = OverrideSerializer(many=True)
    state_error = serializers.CharField()
