from django.apps import AppConfig


class MarketDataConfig(AppConfig):
    name = "apps.market_data"
    verbose_name = "Données de marché"
