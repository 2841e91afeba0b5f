from django.apps import AppConfig


class StrategiesConfig(AppConfig):
    name = "apps.strategies"
    verbose_name = "Stratégies"

    def ready(self):
        from apps.heartbeat.followers import register_sandbox_check  # dans ready() : apps chargées
        from apps.strategies.services.runners import sandbox_degraded  # dans ready() : modèles chargés

        register_sandbox_check(sandbox_degraded)
