from django.conf import settings
from django.core.management.base import BaseCommand

from apps.core.daemon import run_service
from apps.heartbeat.service import HeartbeatService


class Command(BaseCommand):
    help = (
        "Lance le heartbeat : flux Binance (BINANCE_WS_URL) -> bougies clôturées 1m à 4h, enregistrées et "
        "publiées ; rattrapage par BINANCE_REST_URL (s'arrête proprement sur Ctrl-C / SIGTERM)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Heartbeat : flux {settings.BINANCE_WS_URL}, REST {settings.BINANCE_REST_URL}")
        run_service("Heartbeat", HeartbeatService().run)
