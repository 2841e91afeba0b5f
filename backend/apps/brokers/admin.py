from django.contrib import admin

from apps.brokers.models import Broker, PaperBalance, PaperOrder


@admin.register(Broker)
class BrokerAdmin(admin.ModelAdmin):
    # Jamais de secret dans la liste ; le formulaire du broker les montre (comme la page Mon compte).
    list_display = ["name", "user", "exchange", "description", "is_testnet", "updated_at"]
    list_filter = ["exchange", "is_testnet"]
    search_fields = ["name", "description", "user__username"]


@admin.register(PaperBalance)
class PaperBalanceAdmin(admin.ModelAdmin):
    list_display = ["broker", "currency", "free", "used"]
    list_filter = ["currency"]


@admin.register(PaperOrder)
class PaperOrderAdmin(admin.ModelAdmin):
    list_display = ["id", "broker", "symbol", "type", "side", "amount", "price", "trigger_kind", "status", "created_at"]
    list_filter = ["status", "type", "side"]
