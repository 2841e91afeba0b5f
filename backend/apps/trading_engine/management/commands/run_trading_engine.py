from django.core.management.base import BaseCommand

from apps.core.daemon import run_service
from apps.trading_engine.engine import TradingEngine


class Command(BaseCommand):
    help = "Lance le moteur de trading (s'arrête proprement sur Ctrl-C / SIGTERM)."

    def handle(self, *args, **options):
        run_service("Moteur de trading", TradingEngine().run)
