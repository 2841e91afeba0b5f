from django.conf import settings
from django.core.management.base import BaseCommand

from apps.alerts.status import WATCHDOG
from apps.alerts.watchdog import run
from apps.core.daemon import run_service


class Command(BaseCommand):
    help = (
        "Lance le chien de garde : surveille heartbeat, moteur, workers, Redis de l'extérieur et alerte au début "
        "et à la fin de chaque incident (s'arrête proprement sur Ctrl-C / SIGTERM)."
    )

    def handle(self, *args, **options):
        run_service(WATCHDOG, lambda stop: run(stop, interval=settings.WATCHDOG_INTERVAL_SECONDS))
