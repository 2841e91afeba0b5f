from django.core.management.base import BaseCommand

from apps.alerts.worker import AlertsWorker
from apps.core.daemon import run_service


class Command(BaseCommand):
    help = (
        "Lance l'envoi des alertes (Telegram, e-mail) et les commandes du bot Telegram ; reprend la file laissée "
        "par un arrêt (s'arrête proprement sur Ctrl-C / SIGTERM)."
    )

    def handle(self, *args, **options):
        run_service("Alertes", AlertsWorker().run)
