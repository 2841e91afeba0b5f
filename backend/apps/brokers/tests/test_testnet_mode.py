"""Mode Testnet : seuls les brokers testnet ou paper peuvent passer des ordres."""

import pytest
from django.core.exceptions import ValidationError

from apps.brokers.models import Broker
from apps.brokers.services import ensure_orders_allowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def brokers(alice):
    return {
        "production": Broker.objects.create(user=alice, name="Prod", exchange="binance"),
        "testnet": Broker.objects.create(user=alice, name="Test", exchange="binance", is_testnet=True),
        "paper": Broker.objects.create(user=alice, name="Démo", exchange="paper"),
    }


def test_testnet_mode_refuses_production_broker(alice, brokers):
    alice.testnet_mode = True

    with pytest.raises(ValidationError) as refused:
        ensure_orders_allowed(user=alice, broker=brokers["production"])

    assert refused.value.messages == ["Mode Testnet actif : le broker « Prod » est en production, ordre refusé."]
    ensure_orders_allowed(user=alice, broker=brokers["testnet"])
    ensure_orders_allowed(user=alice, broker=brokers["paper"])


def test_production_mode_allows_every_broker(alice, brokers):
    alice.testnet_mode = False

    for broker in brokers.values():
        ensure_orders_allowed(user=alice, broker=broker)
