from django.contrib import admin

from apps.trading_engine.models import ActiveStrategy


@admin.register(ActiveStrategy)
class ActiveStrategyAdmin(admin.ModelAdmin):
    """Les activations, en lecture : le moteur et la page Trading BOT les changent (rien de secret ici)."""

    list_display = ["strategy", "user", "broker", "symbol", "timeframe", "state", "is_active", "current_balance"]
    list_filter = ["state", "is_active", "timeframe"]
    search_fields = ["symbol", "strategy__name", "user__username"]
    readonly_fields = ["created_at", "updated_at", "last_decision_at", "last_candle_at"]
