from rest_framework import serializers

from apps.alerts.kinds import KINDS
from apps.alerts.models import AlertEvent, Channel


class AlertEventSerializer(serializers.ModelSerializer):
    """Une alerte de la cloche (API et message WebSocket `alert`)."""

    kind_label = serializers.SerializerMethodField()

    class Meta:
        model = AlertEvent
        fields = ["id", "kind", "kind_label", "text", "data", "created_at", "read_at"]
        read_only_fields = fields

    def get_kind_label(self, event: AlertEvent) -> str:
        kind = KINDS.get(event.kind)
        return kind.label if kind else event.kind


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=1000)


class ChannelsField(serializers.DictField):
    child = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices), max_length=3)


class AlertSettingsUpdateSerializer(serializers.Serializer):
    channels = ChannelsField(required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    digest_hour = serializers.IntegerField(required=False, min_value=0, max_value=23)

    def validate_channels(self, value: dict) -> dict:
        unknown = sorted(set(value) - set(KINDS))
        if unknown:
            raise serializers.ValidationError(f"Genre d'alerte inconnu : {', '.join(unknown)}.")
        return {kind: sorted(set(channels)) for kind, channels in value.items()}


class TestChannelSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=[Channel.TELEGRAM, Channel.EMAIL])
