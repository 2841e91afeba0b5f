"""Monde des tests de backtest : vraies bougies LTC/BTC (prix × 1 000 000, rangées en BTC/USDT), stratégies testées,
broker paper, worker réel dans son fil."""

import asyncio
from datetime import UTC, datetime

import pytest

from apps.backtest.services.candles import save_candles
from apps.backtest.worker import BacktestWorker
from testing import activations, ltcbtc
from testing.strategy_code import SMA_CROSS
from testing.workers import worker_in_thread

RAISES_AT_BAR = """from aristobot.strategies import Strategy


class Casse(Strategy):
    def indicators(self, candles):
        return {"n": candles["close"] * 0}

    def should_long(self):
        if len(self.candles) > 200:
            raise ValueError("boum")
        return False
"""
RAISING_LINE = RAISES_AT_BAR.splitlines().index('            raise ValueError("boum")') + 1


def ms_time(time_ms: int) -> datetime:
    return datetime.fromtimestamp(time_ms / 1000, tz=UTC)


@pytest.fixture
def ltc_5m(db):
    """Les 865 bougies 5m rangées comme bougies Binance BTC/USDT ; rend (début, fin) de la période."""
    rows = ltcbtc.btc_usdt_ohlcv("5m")
    save_candles(exchange="binance", symbol="BTC/USDT", timeframe="5m", candles=rows)
    return ms_time(rows[0].open_time_ms), ms_time(rows[-1].open_time_ms + 300_000)


@pytest.fixture
def ltc_1m(db):
    rows = ltcbtc.btc_usdt_ohlcv("1m")
    save_candles(exchange="binance", symbol="BTC/USDT", timeframe="1m", candles=rows)
    return ms_time(rows[0].open_time_ms), ms_time(rows[-1].open_time_ms + 60_000)


@pytest.fixture
def tested_strategy():
    """`tested_strategy(user, code, name=)` : une stratégie qui a passé « Tester »."""

    def make(user, code=SMA_CROSS, name="Croisement"):
        return activations.new_strategy(user, code, name=name, timeframe="5m")

    return make


@pytest.fixture
def request_body():
    def make(strategy, broker, period, **fields):
        start, end = period
        return {
            "strategy": strategy.pk,
            "broker": broker.pk,
            "symbol": "BTC/USDT",
            "timeframe": "5m",
            "start": start.isoformat(),
            "end": end.isoformat(),
            "initial_amount": "10000",
            "fee": "0.001",
            **fields,
        }

    return make


@pytest.fixture
def drain():
    """Une passe du worker : calcule tout ce qui attend ; rend le nombre de backtests traités."""
    return lambda: asyncio.run(BacktestWorker().drain())


@pytest.fixture
def running_worker_factory():
    """`with running_worker_factory():` le vrai worker (réveil Redis + interrogation) dans son fil et sa boucle."""

    return lambda: worker_in_thread(lambda: BacktestWorker(poll_seconds=0.5))


@pytest.fixture
def running_worker(running_worker_factory):
    with running_worker_factory():
        yield
