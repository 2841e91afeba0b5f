from decimal import Decimal

from rest_framework import serializers

from apps.core.serializers import DecimalText, decimal_text
from apps.orders.selectors import with_trades
from apps.orders.serializers import PositionSerializer
from apps.strategies.services.versions import current_hash
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.services.holdings import closed_positions, in_flight_text, live_position


class PositionSummarySerializer(PositionSerializer):
    """Une position close de l'activation, sans ses ordres (les 10 derniers trades)."""

    class Meta(PositionSerializer.Meta):
        fields = [name for name in PositionSerializer.Meta.fields if name != "trades"]
        read_only_fields = fields


class ActivationSerializer(serializers.ModelSerializer):
    """Une activation telle que la montrent l'API et le WebSocket (`active_strategy`)."""

    strategy_name = serializers.CharField(source="strategy.name", read_only=True)
    broker_name = serializers.CharField(source="broker.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    initial_amount = DecimalText()
    current_balance = DecimalText()
    pnl = serializers.SerializerMethodField()
    pnl_pct = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()
    recent_trades = serializers.SerializerMethodField()
    last_decision = serializers.SerializerMethodField()
    in_flight = serializers.SerializerMethodField()
    version_hash = serializers.CharField(source="version.code_hash", read_only=True)
    newer_version = serializers.SerializerMethodField()

    class Meta:
        model = ActiveStrategy
        fields = [
            "id",
            "strategy",
            "strategy_name",
            "version_hash",
            "newer_version",
            "broker",
            "broker_name",
            "symbol",
            "timeframe",
            "start_date",
            "end_date",
            "is_active",
            "state",
            "state_label",
            "initial_amount",
            "current_balance",
            "pnl",
            "pnl_pct",
            "last_error",
            "last_decision_at",
            "last_decision",
            "position",
            "in_flight",
            "recent_trades",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_pnl(self, activation) -> str | None:
        return decimal_text(activation.current_balance - activation.initial_amount)

    def get_pnl_pct(self, activation) -> str | None:
        if not activation.initial_amount:
            return None
        return decimal_text((activation.current_balance - activation.initial_amount) / activation.initial_amount * 100)

    def get_position(self, activation) -> dict | None:
        held = live_position(activation)
        self._held = (activation.pk, held)  # relu par get_in_flight (champ suivant) : pas de seconde requête
        return dict(PositionSerializer(with_trades(held)).data) if held else None

    def get_in_flight(self, activation) -> str | None:
        """« un achat de 0,0026 BTC est en cours » tant qu'une entrée n'est pas exécutée (dialogue de « Stop »)."""
        pk, held = getattr(self, "_held", (None, None))
        if pk != activation.pk or held is None or held.status != held.Status.OPENING:
            return None  # un achat en cours a toujours sa position en ouverture
        return in_flight_text(activation)

    def get_recent_trades(self, activation) -> list[dict]:
        closed = closed_positions(activation).select_related("broker")[:10]
        return PositionSummarySerializer(closed, many=True).data

    def get_newer_version(self, activation) -> dict | None:
        """Le code actuel de la stratégie, s'il diffère de celui qui tourne : son hash et s'il a passé « Tester »
        (le test enregistré porte sur le code actuel : une modification du code est testée à l'enregistrement)."""
        newest = current_hash(activation.strategy)
        if newest == activation.version.code_hash:
            return None
        return {"hash": newest, "tested": activation.strategy.is_valid}

    def get_last_decision(self, activation) -> str | None:
        return activation.last_decision or None


class ActivationCreateSerializer(serializers.Serializer):
    strategy = serializers.IntegerField()
    broker = serializers.IntegerField()
    symbol = serializers.CharField(max_length=64)
    timeframe = serializers.CharField(max_length=4, required=False, allow_null=True, allow_blank=True)
    start_date = serializers.DateTimeField()
    end_date = serializers.DateTimeField()
    initial_amount = serializers.DecimalField(max_digits=30, decimal_places=8, min_value=Decimal("0.00000001"))


class ActivationUpdateSerializer(serializers.Serializer):
    end_date = serializers.DateTimeField(required=False)
    initial_amount = serializers.DecimalField(
        max_digits=30, decimal_places=8, min_value=Decimal("0.00000001"), required=False
    )


class StopSerializer(serializers.Serializer):
    sell = serializers.BooleanField(required=False, allow_null=True, default=None)
