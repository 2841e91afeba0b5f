from rest_framework import serializers

from apps.heartbeat.config import MAX_SYMBOLS


class HeartbeatConfigSerializer(serializers.Serializer):
    symbols = serializers.ListField(child=serializers.CharField(max_length=41), max_length=MAX_SYMBOLS)
    timeframes = serializers.ListField(child=serializers.CharField(), read_only=True)
