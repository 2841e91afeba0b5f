from django.contrib import admin

from apps.strategies.models import Strategy, StrategyVersion


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "timeframe", "is_valid", "last_tested_at", "updated_at"]
    list_filter = ["timeframe", "is_valid"]
    search_fields = ["name", "description", "user__username"]
    readonly_fields = ["is_valid", "last_tested_at", "error_message", "created_at", "updated_at"]


@admin.register(StrategyVersion)
class StrategyVersionAdmin(admin.ModelAdmin):
    list_display = ["strategy", "code_hash", "is_valid", "tested_at"]
    list_filter = ["is_valid"]
    readonly_fields = ["created_at"]
