from django.contrib import admin

from apps.risk.models import RiskLimits, RiskOverride, RiskReach


@admin.register(RiskLimits)
class RiskLimitsAdmin(admin.ModelAdmin):
    list_display = ["broker", "user", "max_daily_loss", "max_drawdown_pct", "max_exposure", "max_open_positions"]


@admin.register(RiskReach)
class RiskReachAdmin(admin.ModelAdmin):
    list_display = ["broker", "limit", "scope", "reached_at", "until", "lifted_at"]
    list_filter = ["limit"]


@admin.register(RiskOverride)
class RiskOverrideAdmin(admin.ModelAdmin):
    list_display = ["user", "broker", "limit", "trade", "created_at"]
    list_filter = ["limit"]
