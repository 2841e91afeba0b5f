from django.contrib import admin

from apps.orders.models import Position, Trade


@admin.register(Trade)
class TradeAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "user",
        "broker",
        "source",
        "symbol",
        "side",
        "type",
        "quantity",
        "filled_quantity",
        "average_price",
        "status",
    ]
    list_filter = ["status", "source", "side", "type"]
    search_fields = ["symbol", "client_order_id", "exchange_order_id"]
    list_select_related = ["user", "broker"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = [
        "opened_at",
        "user",
        "broker",
        "symbol",
        "source",
        "status",
        "quantity",
        "protection",
        "exit_reason",
    ]
    list_filter = ["status", "source", "protection", "exit_reason"]
    search_fields = ["symbol"]
    list_select_related = ["user", "broker"]
