import pytest

from apps.brokers.models import Broker


@pytest.fixture
def paper(alice, exchange_door):
    """Un broker paper d'alice (10 000 USDT) et `call(méthode, ...)` qui passe par la porte des exchanges."""
    broker = Broker.objects.create(user=alice, name="Démo", exchange="paper")

    def call(method, *args, **kwargs):
        return exchange_door.run(exchange_door.call(broker, method, *args, **kwargs))

    call.broker = broker
    return call
