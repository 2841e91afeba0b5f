from django.contrib import admin

from apps.heartbeat.models import HeartbeatConfig, HeartbeatStatus


@admin.register(HeartbeatStatus)
class HeartbeatStatusAdmin(admin.ModelAdmin):
    list_display = ["connected", "last_message_at", "last_candle_at", "coherent", "updated_at"]


@admin.register(HeartbeatConfig)
class HeartbeatConfigAdmin(admin.ModelAdmin):
    list_display = ["__str__", "updated_at"]
