from django.contrib import admin

from apps.backtest.models import BacktestRun


@admin.register(BacktestRun)
class BacktestRunAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "strategy_name", "symbol", "timeframe", "start", "end", "status", "final_amount")
    list_filter = ("status", "timeframe")
    search_fields = ("strategy_name", "symbol", "user__username")
    exclude = ("equity_data",)
    readonly_fields = ("code_hash", "created_at", "started_at", "finished_at", "heartbeat_at")
