"""L'admin liste les activations et les instantanés de solde, sans jamais montrer un identifiant du broker."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.brokers.models import Broker
from apps.stats.models import BalanceSnapshot
from apps.strategies.models import Strategy
from testing.activations import activate

pytestmark = pytest.mark.django_db


def test_activations_and_balance_snapshots_are_in_the_admin_without_secrets(admin_client, alice):
    broker = Broker.objects.create(
        user=alice, name="Binance", exchange="binance", api_key="KEY-123456", api_secret="SECRET-654321"
    )
    strategy = Strategy.objects.create(user=alice, name="Croisement", code="x = 1", timeframe="1m")
    now = timezone.now()
    activation = activate(
        alice, strategy, broker, amount="100", start_date=now, end_date=now + timedelta(days=1), current_balance=0
    )
    snapshot = BalanceSnapshot.objects.create(
        broker=broker, taken_at=now, reason="hourly", total_usd=Decimal("9820.29")
    )
    pages = [
        admin_client.get("/admin/trading_engine/activestrategy/").content.decode(),
        admin_client.get(f"/admin/trading_engine/activestrategy/{activation.pk}/change/").content.decode(),
        admin_client.get("/admin/stats/balancesnapshot/").content.decode(),
        admin_client.get(f"/admin/stats/balancesnapshot/{snapshot.pk}/change/").content.decode(),
    ]
    assert "BTC/USDT" in pages[0] and "9820" in pages[2]
    for page in pages:
        assert "KEY-123456" not in page and "SECRET-654321" not in page
