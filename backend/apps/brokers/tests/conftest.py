import ccxt
import pytest
from asgiref.sync import async_to_sync

from apps.brokers.models import Broker
from apps.brokers.paper.exchange import PaperExchange
from apps.core.exceptions import translate


def paper_exchange(broker: Broker) -> PaperExchange:
    """L'exchange paper d'un broker, appelé directement : ces tests vérifient son interface CCXT."""
    return PaperExchange(broker_id=broker.pk, starting_balance=broker.paper_starting_balance)


@pytest.fixture
def paper(alice):
    """Un broker paper d'alice (10 000 USDT) et `call(méthode, ...)` sur son exchange paper, erreurs traduites
    comme le fait la porte des exchanges."""
    broker = Broker.objects.create(user=alice, name="Démo", exchange="paper")
    exchange = paper_exchange(broker)
    async_to_sync(exchange.load_markets)()

    def call(method, *args, **kwargs):
        try:
            return async_to_sync(getattr(exchange, method))(*args, **kwargs)
        except ccxt.BaseError as error:
            raise translate(error, exchange.name, exchange.id) from None

    call.broker = broker
    return call
