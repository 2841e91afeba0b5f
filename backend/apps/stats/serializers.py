from rest_framework import serializers

from apps.core.serializers import DecimalText
from apps.stats.services.balance import INTERVALS


class PeriodSerializer(serializers.Serializer):
    """?broker=1,2 (aucun : tous les brokers de l'utilisateur), source, from / to (ISO 8601), interval 1h | 1d."""

    broker = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    source = serializers.ChoiceField(
        choices=["manual", "webhook", "strategy"],
        required=False,
        error_messages={"invalid_choice": "Source inconnue : manual, webhook ou strategy."},
    )
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)
    interval = serializers.ChoiceField(
        choices=list(INTERVALS), required=False, error_messages={"invalid_choice": "Intervalle inconnu : 1h ou 1d."}
    )

    def validate(self, data):
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            raise serializers.ValidationError("La date de début doit précéder la date de fin.")
        return data


class PointSerializer(serializers.Serializer):
    time = serializers.DateTimeField()
    total_usd = DecimalText()


class ChangeSerializer(serializers.Serializer):
    usd = DecimalText()
    pct = DecimalText()


class BrokerSeriesSerializer(serializers.Serializer):
    broker = serializers.IntegerField()
    name = serializers.CharField()
    points = PointSerializer(many=True)
    change = ChangeSerializer()


class TotalSeriesSerializer(serializers.Serializer):
    points = PointSerializer(many=True)
    change = ChangeSerializer()


class BalanceSeriesSerializer(serializers.Serializer):
    interval = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    brokers = BrokerSeriesSerializer(many=True)
    total = TotalSeriesSerializer()


class CurvePointSerializer(serializers.Serializer):
    time = serializers.DateTimeField()
    pnl = DecimalText()


class PerformanceSerializer(serializers.Serializer):
    """Une ligne du tableau : le groupe (selon la vue), sa cotation et ses métriques ; montants en texte."""

    source = serializers.CharField(required=False)
    source_label = serializers.CharField(required=False)
    broker_id = serializers.IntegerField(required=False)
    broker_name = serializers.CharField(required=False, source="broker__name")
    active_strategy_id = serializers.IntegerField(required=False)
    label = serializers.CharField(required=False)
    quote = serializers.CharField()
    realized_pnl = DecimalText()
    realized_pnl_pct = DecimalText()
    total_trades = serializers.IntegerField()
    winning_trades = serializers.IntegerField()
    losing_trades = serializers.IntegerField()
    win_rate = DecimalText()
    profit_factor = DecimalText()
    expectancy = DecimalText()
    avg_win = DecimalText()
    avg_loss = DecimalText()
    best_trade = DecimalText()
    worst_trade = DecimalText()
    max_drawdown = DecimalText()
    max_drawdown_pct = DecimalText()
    fees = DecimalText()
    curve = CurvePointSerializer(many=True, required=False)
