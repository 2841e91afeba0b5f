from django.contrib import admin

from apps.webhooks.models import Webhook, WebhookToken


@admin.register(WebhookToken)
class WebhookTokenAdmin(admin.ModelAdmin):
    # Jamais le jeton en clair : il vaut mot de passe (l'utilisateur le voit et le régénère sur la page Webhooks).
    list_display = ["user", "token_masked", "tradingview_only", "updated_at"]
    fields = ["user", "token_masked", "tradingview_only"]
    readonly_fields = ["token_masked"]

    @admin.display(description="jeton")
    def token_masked(self, token: WebhookToken) -> str:
        return f"••••{token.token[-4:]}" if token.token else ""


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "received_at", "status", "signal_id", "source_ip", "trade", "error"]
    list_filter = ["status"]
    search_fields = ["user__username", "signal_id", "error"]
    readonly_fields = ["body_text"]
    exclude = ["body"]
