from django.apps import AppConfig


class BrokersConfig(AppConfig):
    name = "apps.brokers"
    verbose_name = "Brokers"

    def ready(self):
        # Dans ready() : les modèles ne se chargent qu'une fois le registre des apps prêt.
        from apps.brokers.models import PAPER
        from apps.brokers.paper.exchange import PaperExchange  # (idem)
        from apps.core.services.ccxt_manager import register_exchange  # (idem)

        register_exchange(
            PAPER,
            name="Paper",
            create=lambda broker: PaperExchange(broker_id=broker.pk, starting_balance=broker.paper_starting_balance),
        )
