from decimal import Decimal

from rest_framework import serializers

from apps.backtest.models import BacktestRun
from apps.backtest.services.results import STAT_FIELDS
from apps.core.serializers import DecimalText
from apps.heartbeat.bars import TIMEFRAMES


class BacktestRequestSerializer(serializers.Serializer):
    strategy = serializers.IntegerField()
    broker = serializers.IntegerField()
    symbol = serializers.CharField(max_length=32)
    timeframe = serializers.ChoiceField(
        choices=TIMEFRAMES, error_messages={"invalid_choice": "Unité de temps inconnue : « {input} »."}
    )
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    initial_amount = serializers.DecimalField(max_digits=30, decimal_places=8)
    fee = serializers.DecimalField(max_digits=12, decimal_places=8, required=False, allow_null=True)
    allow_gaps = serializers.BooleanField(required=False, default=False)

    def validate_initial_amount(self, value: Decimal) -> Decimal:
        if value <= 0:
            raise serializers.ValidationError("Le montant de départ doit être positif.")
        return value

    def validate_fee(self, value: Decimal | None) -> Decimal | None:
        if value is not None and not Decimal(0) <= value < Decimal("0.1"):
            raise serializers.ValidationError("Les frais vont de 0 à 0,1 (10 %) exclu, par exemple 0.001.")
        return value

    def validate(self, data: dict) -> dict:
        if data["end"] <= data["start"]:
            raise serializers.ValidationError({"end": "La fin doit être après le début."})
        return data


class CoverageQuerySerializer(serializers.Serializer):
    broker = serializers.IntegerField()
    symbol = serializers.CharField(max_length=32)
    timeframe = serializers.ChoiceField(choices=TIMEFRAMES)


class StoredPeriodSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    candles = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer):
    exchange = serializers.CharField()
    downloads_missing = serializers.BooleanField()
    periods = StoredPeriodSerializer(many=True)


class BacktestRunSerializer(serializers.ModelSerializer):
    """Un backtest sans ses trades ni sa courbe (liste, messages WebSocket)."""

    progress_label = serializers.CharField(read_only=True)
    initial_amount = DecimalText()
    fee = DecimalText()
    final_amount = DecimalText()
    stats = serializers.SerializerMethodField()

    class Meta:
        model = BacktestRun
        fields = [
            "id",
            "strategy",
            "strategy_name",
            "broker",
            "broker_name",
            "symbol",
            "timeframe",
            "start",
            "end",
            "initial_amount",
            "fee",
            "allow_gaps",
            "status",
            "phase",
            "progress",
            "progress_label",
            "error",
            "partial",
            "cancel_requested",
            "gaps",
            "bars",
            "code_hash",
            "created_at",
            "started_at",
            "finished_at",
            "duration_seconds",
            "final_amount",
            "stats",
        ]
        read_only_fields = fields

    def get_stats(self, run: BacktestRun) -> dict:
        """Toutes les statistiques, null tant que le backtest n'a pas de résultat."""
        return {name: run.stats.get(name) for name in STAT_FIELDS}


class BacktestRunDetailSerializer(BacktestRunSerializer):
    trades = serializers.JSONField(source="trades_detail", read_only=True)
    equity = serializers.JSONField(read_only=True)

    class Meta(BacktestRunSerializer.Meta):
        fields = [*BacktestRunSerializer.Meta.fields, "trades", "equity"]
        read_only_fields = fields


class BacktestCandleSerializer(serializers.Serializer):
    """Une bougie de la période (schéma de `GET /api/backtests/<id>/candles/`)."""

    time = serializers.IntegerField(help_text="ouverture, ms UTC")
    open = serializers.CharField()
    high = serializers.CharField()
    low = serializers.CharField()
    close = serializers.CharField()
    volume = serializers.CharField()
