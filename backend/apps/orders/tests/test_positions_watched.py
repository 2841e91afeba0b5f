"""Surveillance par Aristobot : un exchange qui ne tient pas les ordres stop ; vente au marché au franchissement."""

import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.channels import ClosedCandle
from apps.orders.models import Position
from apps.orders.reconciler import reconcile
from apps.orders.watch import check_candles

pytestmark = pytest.mark.django_db(transaction=True)


def minute(low, high, *, timeframe="1m", symbol="BTCUSDT"):
    start = timezone.now().replace(second=0, microsecond=0)
    return ClosedCandle(
        exchange="binance",
        symbol=symbol,
        timeframe=timeframe,
        open_time=start,
        close_time=start + timedelta(seconds=59.999),
        open=Decimal(high),
        high=Decimal(high),
        low=Decimal(low),
        close=Decimal(low),
        volume=Decimal(1),
    )


def market_sells(fake):
    return [
        p
        for method, path, p in fake.requests
        if (method, path) == ("POST", "/api/v3/order") and p["side"] == "SELL" and p["type"] == "MARKET"
    ]


@pytest.fixture
def watched(binance_broker, fake_binance, order):
    fake_binance.stop_orders = False
    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    return Position.objects.get()


def test_without_stop_orders_the_position_is_watched_and_says_so(watched, fake_binance):
    assert watched.protection == Position.Protection.WATCHED
    assert watched.protection_note == "Surveillé par Aristobot : Binance principal ne tient pas ces ordres."
    assert fake_binance.count("/api/v3/orderList/oco") == 0


def test_a_candle_crossing_the_stop_sells_once_at_market(watched, fake_binance):
    fake_binance.prices["BTCUSDT"] = Decimal("44800")

    check_candles([minute("44700", "46000")])
    check_candles([minute("44600", "45000")])

    [sell] = market_sells(fake_binance)
    assert sell["quantity"] == "0.01"
    watched.refresh_from_db()
    assert (watched.status, watched.exit_reason, watched.exit_price) == ("closed", "stop_loss", Decimal("44800"))


def test_a_candle_crossing_both_levels_takes_the_stop(watched, fake_binance):
    check_candles([minute("44000", "57000")])

    watched.refresh_from_db()
    assert watched.exit_reason == "stop_loss" and len(market_sells(fake_binance)) == 1


def test_candles_of_other_units_or_pairs_and_inside_the_range_do_nothing(watched, fake_binance):
    check_candles([minute("40000", "60000", timeframe="5m")])
    check_candles([minute("40000", "60000", symbol="ETHUSDT")])
    check_candles([minute("45100", "55900")])

    assert market_sells(fake_binance) == [] and Position.objects.get().status == "open"


def test_the_latest_price_above_the_target_sells_at_the_reconciler_step(watched, fake_binance):
    fake_binance.prices["BTCUSDT"] = Decimal("56100")

    reconcile()
    reconcile()

    watched.refresh_from_db()
    assert (watched.exit_reason, watched.exit_price) == ("take_profit", Decimal("56100"))
    assert len(market_sells(fake_binance)) == 1


def test_a_broker_in_error_is_logged_once_shown_on_its_positions_and_does_not_stop_the_others(
    watched, fake_binance, paper_broker, candle, order, caplog
):
    candle("50000")
    order(paper_broker, quantity=Decimal("0.1"), stop_loss=Decimal("45000"), take_profit=Decimal("55000"))
    paper_position = Position.objects.get(broker=paper_broker)
    fake_binance.invalid_key = True
    candle("44000", open="44500", low="44000", minutes_from_now=1)

    with caplog.at_level(logging.WARNING, logger="aristobot.reconciler"):
        first = reconcile()
        second = reconcile()

    assert first == {"brokers": 2, "failed": 1} and second["failed"] == 1
    assert len([r for r in caplog.records if "Binance principal" in r.getMessage()]) == 1
    watched.refresh_from_db()
    assert watched.status == "open" and "Binance" in watched.sync_error
    paper_position.refresh_from_db()
    assert (paper_position.status, paper_position.exit_reason) == ("closed", "stop_loss")
    fake_binance.invalid_key = False
    reconcile()
    watched.refresh_from_db()
    assert watched.sync_error == ""
