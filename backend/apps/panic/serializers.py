from rest_framework import serializers

from apps.panic.models import CutRun, EntryHalt

BROKER_ID = {"required": False, "allow_null": True, "min_value": 1, "max_value": 2**63 - 1}


class ScopeSerializer(serializers.Serializer):
    """Le broker visé ; absent ou null : tous les brokers de l'utilisateur."""

    broker = serializers.IntegerField(**BROKER_ID)


class CutRunSerializer(serializers.ModelSerializer):
    """Une passe de « Tout couper » et son rapport (API et message `cut_report`)."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CutRun
        fields = ["id", "broker", "scope", "status", "status_label", "report", "started_at", "finished_at"]
        read_only_fields = fields


class EntryHaltSerializer(serializers.ModelSerializer):
    broker_name = serializers.SerializerMethodField()

    class Meta:
        model = EntryHalt
        fields = ["id", "broker", "broker_name", "created_at"]
        read_only_fields = fields

    def get_broker_name(self, halt: EntryHalt) -> str:
        return halt.broker.name if halt.broker else "tous les brokers"
