"""Une activation annoncée l'est telle qu'en base : un objet gardé en mémoire par un fil ne fait pas revenir
« en marche » sur la carte après un Stop."""

from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from apps.core.channels import user_group
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.services.activations import refresh_balance

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_stale_copy_announces_the_state_in_the_database(alice, strategy, paper_broker, activate):
    stale = activate(alice, strategy, paper_broker)
    ActiveStrategy.objects.filter(pk=stale.pk).update(is_active=False, state="stopped")  # « Stop » ailleurs
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group(alice.pk), channel)

    refresh_balance(activation=stale, realized=Decimal("5"))  # la copie en mémoire dit encore « en marche »

    message = async_to_sync(layer.receive)(channel)["message"]
    assert message["type"] == "active_strategy" and message["data"]["id"] == stale.pk
    assert message["data"]["state"] == "stopped" and message["data"]["current_balance"] == "505"
