from django.contrib import admin

from apps.panic.models import CutRun, EntryHalt


@admin.register(CutRun)
class CutRunAdmin(admin.ModelAdmin):
    list_display = ("user", "scope", "status", "started_at", "finished_at")
    list_filter = ("status",)
    readonly_fields = ("report",)


@admin.register(EntryHalt)
class EntryHaltAdmin(admin.ModelAdmin):
    list_display = ("user", "broker", "created_at")
