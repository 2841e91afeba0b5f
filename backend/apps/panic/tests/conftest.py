"""Le monde de « Tout couper » : des activations, des positions de chaque livre, des ordres ouverts ; le faux
Telegram, le serveur SMTP local et le worker des alertes (ceux des tests d'alertes)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.alerts.tests.conftest import alice_linked, drain, smtp, telegram  # noqa: F401 (fixtures partagées)
from apps.orders.models import Position, Trade
from apps.strategies.models import Strategy
from apps.strategies.services.versions import record_version
from apps.trading_engine.models import ActiveStrategy
from testing.strategy_code import SMA_CROSS

LIVE_TRADE = (Trade.Status.PENDING, *Trade.OPEN_STATUSES)


@pytest.fixture
def activate():
    """`activate(user, broker, symbol)` : une activation en marche (directement en base)."""

    def make(user, broker, symbol="BTC/USDT"):
        strategy = Strategy.objects.create(
            user=user, name=f"SMA {symbol}", code=SMA_CROSS, timeframe="1m", is_valid=True
        )
        return ActiveStrategy.objects.create(
            user=user,
            strategy=strategy,
            version=record_version(strategy=strategy, is_valid=True),
            broker=broker,
            symbol=symbol,
            timeframe="1m",
            start_date=timezone.now() - timedelta(hours=1),
            end_date=timezone.now() + timedelta(days=1),
            initial_amount=Decimal("1000"),
            current_balance=Decimal("1000"),
        )

    return make


def aristobot_left(user) -> tuple[int, int]:
    """(ordres d'Aristobot encore ouverts, positions d'Aristobot encore en cours) de `user`."""
    orders = Trade.objects.filter(user=user, status__in=LIVE_TRADE).count()
    positions = Position.objects.filter(user=user, status__in=Position.LIVE_STATUSES).count()
    return orders, positions
