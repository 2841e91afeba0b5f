"""Mode Testnet de l'utilisateur : un broker de production est refusé avant tout envoi ; paper et testnet passent."""

from decimal import Decimal

import pytest

from apps.orders.models import Trade

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def testnet_alice(alice):
    alice.testnet_mode = True
    alice.save()
    return alice


def test_production_broker_is_refused_in_testnet_mode(testnet_alice, binance_broker, fake_binance, order):
    trade = order(binance_broker, quantity=Decimal("0.01"))

    assert trade.status == Trade.Status.REJECTED
    assert trade.error == "Mode Testnet actif : le broker « Binance principal » est en production, ordre refusé."
    assert fake_binance.count("/api/v3/order") == 0


def test_paper_broker_still_trades_in_testnet_mode(testnet_alice, paper_broker, candle, order):
    candle("50000")

    assert order(paper_broker, quantity=Decimal("0.01")).status == Trade.Status.FILLED
