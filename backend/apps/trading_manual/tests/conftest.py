import pytest

from apps.brokers.models import Broker


@pytest.fixture
def paper_broker(alice, exchange_door):
    """Broker paper d'alice : 10 000 USDT au premier usage, prix = dernière bougie enregistrée."""
    return Broker.objects.create(user=alice, name="Démo", exchange="paper")


@pytest.fixture
def bobs_broker(bob, exchange_door):
    return Broker.objects.create(user=bob, name="Démo de Bob", exchange="paper")
