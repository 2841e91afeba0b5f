"""Le moteur appelle le réconciliateur (au démarrage, puis chaque minute) et la surveillance à chaque bougie 1m."""

from datetime import timedelta
from decimal import Decimal

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from apps.core.channels import ClosedCandle
from apps.orders.models import Position
from apps.trading_engine.engine import TradingEngine

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def binance_broker(alice, fake_binance, make_broker):
    return make_broker(alice)


@pytest.fixture
def buy(place):
    """`buy(broker)` : un achat protégé d'une activation ; sa position."""

    def bought(broker):
        place(
            broker.user,
            broker,
            quantity=Decimal("0.01"),
            stop_loss=Decimal("45000"),
            take_profit=Decimal("56000"),
            source="strategy",
        )
        return Position.objects.get()

    return bought


async def test_a_1m_candle_crossing_a_watched_stop_sells_the_position(binance_broker, fake_binance, buy):
    fake_binance.stop_orders = False
    position = await sync_to_async(buy)(binance_broker)
    start = timezone.now().replace(second=0, microsecond=0)
    candle = ClosedCandle(
        "binance",
        "BTCUSDT",
        "1m",
        start,
        start + timedelta(seconds=59),
        *map(Decimal, ("45500", "45600", "44000", "44100", "1")),
    )

    await TradingEngine().check_watched([candle])

    await sync_to_async(position.refresh_from_db)()
    assert (position.protection, position.status, position.exit_reason) == ("watched", "closed", "stop_loss")


async def test_the_position_check_protects_what_a_restart_left_unprotected(
    binance_broker, fake_binance, monkeypatch, buy
):
    from apps.orders import protection

    monkeypatch.setattr(protection, "ensure", lambda position: False)
    position = await sync_to_async(buy)(binance_broker)
    monkeypatch.undo()

    await TradingEngine().check_positions()

    await sync_to_async(position.refresh_from_db)()
    assert position.protection == "oco" and fake_binance.count("/api/v3/orderList/oco") == 1
