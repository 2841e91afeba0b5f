import pytest

from apps.brokers.models import Broker


@pytest.fixture
def bobs_broker(bob, exchange_door):
    return Broker.objects.create(user=bob, name="Démo de Bob", exchange="paper")
