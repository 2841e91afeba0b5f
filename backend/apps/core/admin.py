from django.contrib import admin

from apps.core.models import HeartbeatConfig, HeartbeatStatus, Trade


@admin.register(HeartbeatStatus)
class HeartbeatStatusAdmin(admin.ModelAdmin):
    list_display = ["connected", "last_message_at", "last_candle_at", "coherent", "updated_at"]


@admin.register(HeartbeatConfig)
class HeartbeatConfigAdmin(admin.ModelAdmin):
    list_display = ["__str__", "updated_at"]


@admin.register(Trade)
class TradeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "broker", "source", "symbol", "side", "type", "quantity", "filled_quantity",
                    "average_price", "status"]
    list_filter = ["status", "source", "side", "type"]
    search_fields = ["symbol", "client_order_id", "exchange_order_id"]
    list_select_related = ["user", "broker"]
