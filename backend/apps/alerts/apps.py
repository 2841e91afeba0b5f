from django.apps import AppConfig

from apps.core.channels import register_observer


class AlertsConfig(AppConfig):
    name = "apps.alerts"
    verbose_name = "Alertes"

    def ready(self):
        from apps.alerts.observe import on_user_message  # modèles chargés seulement ici

        register_observer(on_user_message)
