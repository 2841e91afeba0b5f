from django.apps import AppConfig


class TradingManualConfig(AppConfig):
    name = "apps.trading_manual"
    verbose_name = "Trading manuel"
