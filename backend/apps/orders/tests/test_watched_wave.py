"""Les positions surveillées d'une vague de bougies 1m : vérifiées en une requête pour toutes les paires ; seules
celles qui ont un niveau sont lues, et chacune l'est avec la bougie de sa paire."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.channels import ClosedCandle
from apps.orders.models import Position
from apps.orders.watch import check_candles

pytestmark = pytest.mark.django_db(transaction=True)


def minute(symbol, low, high):
    start = timezone.now().replace(second=0, microsecond=0)
    return ClosedCandle(
        "binance", symbol, "1m", start, start + timedelta(seconds=59.999), *map(Decimal, (high, high, low, low, "1"))
    )


@pytest.fixture
def three_positions(binance_broker, fake_binance, order):
    fake_binance.stop_orders = False  # niveaux surveillés par Aristobot
    fake_binance.set_symbols(["BTC/USDT", "ETH/USDT", "BNB/USDT"])
    fake_binance.prices.update(ETHUSDT=Decimal("3000"), BNBUSDT=Decimal("300"))
    fake_binance.balances["USDT"] = [Decimal("10000"), Decimal("0")]
    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    order(binance_broker, symbol="ETH/USDT", quantity=Decimal("0.1"), stop_loss=Decimal("2800"))
    order(binance_broker, symbol="BNB/USDT", quantity=Decimal("1"))  # sans niveau : rien à surveiller
    return {p.symbol: p for p in Position.objects.all()}


def test_one_wave_checks_every_pair_with_its_own_candle(three_positions, fake_binance):
    wave = [minute("BTCUSDT", "45100", "46000"), minute("ETHUSDT", "2790", "2900"), minute("BNBUSDT", "1", "9999")]

    sold = check_candles(wave)

    assert [p.symbol for p in sold] == ["ETH/USDT"]
    states = dict(Position.objects.values_list("symbol", "status"))
    assert states == {"BTC/USDT": "open", "ETH/USDT": "closed", "BNB/USDT": "open"}
    assert Position.objects.get(symbol="ETH/USDT").exit_reason == "stop_loss"


def test_a_quiet_wave_costs_one_query_whatever_the_number_of_pairs(three_positions):
    wave = [minute("BTCUSDT", "45100", "46000"), minute("ETHUSDT", "2900", "3100"), minute("BNBUSDT", "1", "9999")]

    with CaptureQueriesContext(connection) as queries:
        assert check_candles(wave) == []

    assert len(queries.captured_queries) == 1
