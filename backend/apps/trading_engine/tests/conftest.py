"""Le petit monde du moteur : une stratégie valide d'alice, des bougies enregistrées, des vagues."""

import textwrap
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.channels import ClosedCandle
from apps.market_data.models import Candle
from testing.activations import new_strategy

# Achète quand la clôture monte, vend quand elle baisse ; 100 de cotation, stop -10 %, objectif +10 %.
FOLLOW_CODE = """\
from decimal import Decimal

from aristobot.strategies import Strategy


class Suiveuse(Strategy):
    warmup = 2

    def should_long(self):
        close = self.candles["close"]
        return close.iloc[-1] > close.iloc[-2]

    def should_exit(self):
        close = self.candles["close"]
        return close.iloc[-1] < close.iloc[-2]

    def calculate_position_size(self):
        return Decimal("100")

    def calculate_stop_loss(self):
        return self.price * Decimal("0.9")

    def calculate_take_profit(self):
        return self.price * Decimal("1.1")
"""


def strategy_code(should_long: str) -> str:
    """Une stratégie dont should_long a le corps donné."""
    body = textwrap.indent(textwrap.dedent(should_long).strip("\n"), " " * 8)
    return (
        f"from aristobot.strategies import Strategy\n\n\nclass Essai(Strategy):\n    def should_long(self):\n{body}\n"
    )


@pytest.fixture
def new_cycle():
    """`new_cycle(clock=)` : un cycle des stratégies neuf (comme après un redémarrage), fermé après le test. Son
    horloge retarde de 10 min par défaut : les bougies des tests, clôturées ces dernières minutes, sont fraîches."""
    from apps.trading_engine.cycle import StrategyCycle

    made = []

    def make(clock=lambda: timezone.now() - timedelta(minutes=10)):
        made.append(StrategyCycle(clock=clock))
        return made[-1]

    yield make
    for cycle in made:
        cycle.close()


@pytest.fixture
def make_strategy():
    """`make_strategy(user, code=FOLLOW_CODE, name=, timeframe=, is_valid=)` : une stratégie passée par « Tester »."""

    def make(user, code=FOLLOW_CODE, *, name="Suiveuse", timeframe="1m", is_valid=True):
        return new_strategy(user, code, name=name, timeframe=timeframe, is_valid=is_valid)

    return make


@pytest.fixture
def strategy(alice, make_strategy):
    return make_strategy(alice)


def minute(offset: int):
    """L'ouverture de la minute `offset` (0 = la minute en cours, -1 = la dernière clôturée)."""
    return timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=offset)


@pytest.fixture
def store_candles():
    """`store_candles(closes, symbol=, last_offset=-1)` : des 1m Binance consécutives finissant à la minute donnée
    (ouverture = clôture précédente)."""

    def store(closes, *, symbol="BTC/USDT", last_offset=-1, skip=()):
        rows = []
        first = last_offset - len(closes) + 1
        previous = Decimal(str(closes[0]))
        for index, close in enumerate(closes):
            if index in skip:
                continue
            close = Decimal(str(close))
            open_time = minute(first + index)
            rows.append(
                Candle(
                    exchange="binance",
                    symbol=symbol,
                    timeframe="1m",
                    open_time=open_time,
                    close_time=open_time + timedelta(seconds=59.999),
                    open=previous,
                    high=max(previous, close),
                    low=min(previous, close),
                    close=close,
                    volume=Decimal("1"),
                )
            )
            previous = close
        return Candle.objects.bulk_create(rows)

    return store


def as_wave(candle: Candle) -> ClosedCandle:
    """Une bougie enregistrée telle que le moteur la reçoit du heartbeat."""
    return ClosedCandle(
        exchange=candle.exchange,
        symbol=candle.symbol,
        timeframe=candle.timeframe,
        open_time=candle.open_time,
        close_time=candle.close_time,
        open=candle.open,
        high=candle.high,
        low=candle.low,
        close=candle.close,
        volume=candle.volume,
    )
