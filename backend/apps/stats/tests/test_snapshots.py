"""Instantanés de solde : valorisés comme le portefeuille, à l'heure (horloge injectée), un broker en panne
n'empêche pas les autres et n'est journalisé qu'une fois."""

import logging
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from apps.brokers.valuation import portfolio
from apps.stats.models import BalanceSnapshot
from apps.stats.services.snapshots import SnapshotTaker

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_snapshot_values_the_account_as_the_portfolio_does(alice, paper_broker, candle, place):
    candle("50000")
    place(alice, paper_broker, quantity="0.01")
    now = datetime(2026, 3, 1, 10, 5, tzinfo=UTC)

    (snapshot,) = async_to_sync(SnapshotTaker().take)([paper_broker], reason="start", now=now)

    expected = portfolio(broker=paper_broker)
    assert snapshot.total_usd == expected["total_usd"] and snapshot.total_usd < Decimal("10000")
    assert snapshot.assets["BTC"] == {"total": "0.00999", "usd_value": "499.5"}  # frais payés en BTC
    assert snapshot.assets["USDT"] == {"total": "9500", "usd_value": "9500"}
    assert (snapshot.taken_at, snapshot.reason) == (now, "start")


def test_hourly_takes_one_snapshot_per_hour_of_the_injected_clock(paper_broker, candle):
    candle("50000")
    taker = SnapshotTaker()

    taken = [
        len(async_to_sync(taker.hourly)([paper_broker], now=datetime(2026, 3, 1, hour, minute, tzinfo=UTC)))
        for hour, minute in ((10, 0), (10, 30), (10, 59), (11, 0), (11, 1), (13, 15))
    ]

    assert taken == [1, 0, 0, 1, 0, 1]
    assert list(BalanceSnapshot.objects.values_list("reason", flat=True)) == ["hourly"] * 3


def test_a_broken_broker_is_logged_once_and_does_not_stop_the_others(
    alice, paper_broker, candle, fake_binance, make_broker, caplog
):
    candle("50000")
    broken = make_broker(alice, api_key="revoked-key")
    taker = SnapshotTaker()
    caplog.set_level(logging.WARNING, logger="aristobot.stats")

    for minute in (1, 2):
        now = datetime(2026, 3, 1, 10, minute, tzinfo=UTC)
        async_to_sync(taker.take)([broken, paper_broker], reason="position_closed", now=now)

    assert BalanceSnapshot.objects.filter(broker=paper_broker).count() == 2
    assert not BalanceSnapshot.objects.filter(broker=broken).exists()
    failures = [record for record in caplog.records if "Binance principal" in record.getMessage()]
    assert len(failures) == 1


async def test_the_engine_snapshots_each_hour_and_after_a_closed_position(alice, paper_broker, candle):
    from django.utils import timezone

    from apps.orders.models import Position
    from apps.trading_engine.engine import TradingEngine

    await sync_to_async(candle)("50000")
    engine = TradingEngine()
    try:
        await engine.snapshots.start([paper_broker], now=timezone.now())
        await engine.check_positions()  # même heure : pas de second instantané
        await sync_to_async(Position.objects.create)(
            user=alice,
            broker=paper_broker,
            symbol="BTC/USDT",
            source="manual",
            status="closed",
            closed_at=timezone.now(),
        )
        await engine.check_positions()
    finally:
        await sync_to_async(engine.cycle.close)()

    reasons = await sync_to_async(list)(BalanceSnapshot.objects.order_by("pk").values_list("reason", flat=True))
    assert reasons == ["start", "position_closed"]
