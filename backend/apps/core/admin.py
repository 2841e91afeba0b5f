from django.contrib import admin

from apps.core.models import ServiceBeat


@admin.register(ServiceBeat)
class ServiceBeatAdmin(admin.ModelAdmin):
    list_display = ["name", "pid", "started_at", "last_seen"]
    readonly_fields = ["name", "pid", "started_at", "last_seen", "starts"]
