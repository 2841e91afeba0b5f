from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "apps.risk"
    verbose_name = "Risques"

    def ready(self):
        # le service d'ordres (chaque achat) et la barre de statut appellent ces fonctions sans importer cette app
        from apps.core.entry_gate import register_entry_gate  # enregistrements au chargement des apps
        from apps.heartbeat.status_bar import register_user_section  # idem
        from apps.risk.gate import check_entry  # idem
        from apps.risk.services import status_bar  # idem

        register_entry_gate(check_entry)
        register_user_section("risk", status_bar)
