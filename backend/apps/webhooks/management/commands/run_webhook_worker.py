from django.core.management.base import BaseCommand

from apps.core.daemon import run_service
from apps.webhooks.worker import WebhookWorker


class Command(BaseCommand):
    help = (
        "Lance le worker des webhooks : passe les ordres des signaux TradingView reçus, y compris ceux "
        "restés en attente pendant un arrêt (s'arrête proprement sur Ctrl-C / SIGTERM)."
    )

    def handle(self, *args, **options):
        run_service("Worker des webhooks", WebhookWorker().run)
