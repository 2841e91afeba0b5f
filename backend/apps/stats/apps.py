from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "apps.stats"
    verbose_name = "Statistiques"
