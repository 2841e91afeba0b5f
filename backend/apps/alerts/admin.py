from django.contrib import admin

from apps.alerts.models import AlertDelivery, AlertEvent, AlertSettings, Incident


@admin.register(AlertEvent)
class AlertEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "text", "read_at"]
    list_filter = ["kind"]


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "channel", "status", "attempts", "next_try_at", "last_error"]
    list_filter = ["channel", "status"]


@admin.register(AlertSettings)
class AlertSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "updated_at"]  # le chat Telegram n'est jamais affiché
    exclude = ["telegram_chat_id"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["key", "text", "started_at", "ended_at"]
