from django.core.management.base import BaseCommand

from apps.backtest.worker import BacktestWorker
from apps.core.daemon import run_service


class Command(BaseCommand):
    help = (
        "Lance le worker des backtests : calcule les backtests demandés depuis la page, un par utilisateur à la "
        "fois (s'arrête proprement sur Ctrl-C / SIGTERM)."
    )

    def handle(self, *args, **options):
        run_service("Worker des backtests", BacktestWorker().run)
