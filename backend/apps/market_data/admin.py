from django.contrib import admin

from apps.market_data.models import Candle, Market


@admin.register(Candle)
class CandleAdmin(admin.ModelAdmin):
    list_display = ["exchange", "symbol", "timeframe", "open_time", "close", "volume", "received_at"]
    list_filter = ["exchange", "timeframe", "symbol"]


@admin.register(Market)
class MarketAdmin(admin.ModelAdmin):
    list_display = ["exchange", "symbol", "base", "quote", "type", "active", "updated_at"]
    list_filter = ["exchange", "quote", "active"]
    search_fields = ["symbol"]
