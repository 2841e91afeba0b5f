from django.core.management.base import BaseCommand

from apps.core.daemon import run_service
from apps.core.heartbeat.service import HeartbeatService


class Command(BaseCommand):
    help = "Lance le heartbeat : flux Binance → bougies clôturées (s'arrête proprement sur Ctrl-C / SIGTERM)."

    def handle(self, *args, **options):
        run_service("Heartbeat", HeartbeatService().run)
