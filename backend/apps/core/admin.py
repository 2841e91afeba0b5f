from django.contrib import admin

from apps.core.models import HeartbeatStatus


@admin.register(HeartbeatStatus)
class HeartbeatStatusAdmin(admin.ModelAdmin):
    list_display = ["connected", "last_message_at", "last_candle_at", "coherent", "updated_at"]
