from django.apps import AppConfig


class TradingEngineConfig(AppConfig):
    name = "apps.trading_engine"
    verbose_name = "Moteur de trading"
