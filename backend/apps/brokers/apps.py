from django.apps import AppConfig


class BrokersConfig(AppConfig):
    name = "apps.brokers"
    verbose_name = "Brokers"

    def ready(self):
        from apps.brokers.models import PAPER
        from apps.brokers.paper.exchange import PaperExchange
        from apps.core.services.ccxt_manager import register_exchange

        register_exchange(
            PAPER,
            name="Paper",
            create=lambda broker: PaperExchange(broker_id=broker.pk, starting_balance=broker.paper_starting_balance),
        )
