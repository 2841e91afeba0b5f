from django.contrib import admin

from apps.stats.models import BalanceSnapshot


@admin.register(BalanceSnapshot)
class BalanceSnapshotAdmin(admin.ModelAdmin):
    list_display = ["broker", "taken_at", "reason", "total_usd"]
    list_filter = ["reason", "broker"]
    date_hierarchy = "taken_at"
