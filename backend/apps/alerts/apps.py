from django.apps import AppConfig

from apps.core.channels import register_observer


class AlertsConfig(AppConfig):
    name = "apps.alerts"
    verbose_name = "Alertes"

    def ready(self):
        from apps.alerts.bans import on_exchange_ban  # modèles chargés seulement ici
        from apps.alerts.observe import on_user_message  # modèles chargés seulement ici
        from apps.core.services.ccxt_manager import register_ban_listener  # réglages lus à l'import

        register_observer(on_user_message)
        register_ban_listener(on_exchange_ban)
