from django.contrib import admin

from apps.webhooks.models import Webhook, WebhookToken


@admin.register(WebhookToken)
class WebhookTokenAdmin(admin.ModelAdmin):
    # Jamais le jeton dans la liste : il vaut mot de passe.
    list_display = ["user", "tradingview_only", "updated_at"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "received_at", "status", "signal_id", "source_ip", "trade", "error"]
    list_filter = ["status"]
    search_fields = ["user__username", "signal_id", "error"]
    readonly_fields = ["body_text"]
    exclude = ["body"]
