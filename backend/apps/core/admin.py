from django.contrib import admin

from apps.core.models import ServiceBeat


@admin.register(ServiceBeat)
class ServiceBeatAdmin(admin.ModelAdmin):
    list_display = ["name", "pid", "started_at", "last_seen"]

    def get_readonly_fields(self, request, obj=None):
        # Écrit par les services eux-mêmes : en lecture seule une fois créé ; le formulaire d'ajout valide ses champs.
        return ["name", "pid", "started_at", "last_seen", "starts"] if obj else []
