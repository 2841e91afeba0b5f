from decimal import Decimal

from rest_framework import serializers

from apps.core.serializers import DecimalText, decimal_text
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.services.holdings import Holding, holdings


def holding_data(holding: Holding) -> dict:
    """Une position de l'activation (sous-ensemble des champs de <position>)."""
    cost = holding.entry_cost
    pnl = holding.realized_pnl
    return {
        "symbol": holding.symbol,
        "status": "open" if holding.closed_at is None else "closed",
        "quantity": decimal_text(holding.quantity),
        "entry_price": decimal_text(holding.entry_price),
        "stop_loss": decimal_text(holding.stop_loss),
        "take_profit": decimal_text(holding.take_profit),
        "exit_price": decimal_text(holding.exit_price),
        "exit_reason": holding.exit_reason,
        "realized_pnl": decimal_text(pnl),
        "realized_pnl_pct": decimal_text(pnl / cost * 100) if pnl is not None and cost else None,
        "opened_at": holding.opened_at.isoformat(),
        "closed_at": holding.closed_at.isoformat() if holding.closed_at else None,
    }


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

    class Meta:
        model = ActiveStrategy
        fields = [
            "id",
            "strategy",
            "strategy_name",
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
            "recent_trades",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _holdings(self, activation) -> list[Holding]:
        cache = self.context.setdefault("_holdings", {})
        if activation.pk not in cache:
            cache[activation.pk] = holdings(activation)
        return cache[activation.pk]

    def get_pnl(self, activation) -> str | None:
        return decimal_text(activation.current_balance - activation.initial_amount)

    def get_pnl_pct(self, activation) -> str | None:
        if not activation.initial_amount:
            return None
        return decimal_text((activation.current_balance - activation.initial_amount) / activation.initial_amount * 100)

    def get_position(self, activation) -> dict | None:
        found = self._holdings(activation)
        return holding_data(found[-1]) if found and found[-1].closed_at is None else None

    def get_recent_trades(self, activation) -> list[dict]:
        closed = [h for h in self._holdings(activation) if h.closed_at is not None]
        return [holding_data(h) for h in reversed(closed[-10:])]

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
