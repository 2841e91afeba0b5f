"""Une stratégie lente fait aussi avancer la progression du backtest et répond vite à « Annuler » : les lots de
bougies suivent la durée des décisions (une seule bougie au premier lot), au lieu de 64 bougies avant la première
annonce. Horloge du test : chaque décision de la stratégie lente « dure » une seconde, sans attente réelle."""

from types import SimpleNamespace

import numpy as np
import pytest

from apps.strategies.runner import simulation
from apps.strategies.runner.driver import NOTHING

COUNT = 200


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Driver:
    """Le pilote vu par `simulate` : des bougies plates, une décision qui avance l'horloge de `seconds`."""

    def __init__(self, clock: Clock, seconds: float):
        self.clock, self.seconds = clock, seconds
        self.length = COUNT
        self.time = 1_704_067_200_000 + 60_000 * np.arange(COUNT, dtype=np.int64)
        self.open = self.high = self.low = self.close = np.full(COUNT, 100.0)

    def decide_at(self, index, cash, view):
        self.clock.now += self.seconds
        return NOTHING


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(simulation, "time", SimpleNamespace(monotonic=clock))
    return clock


def test_a_slow_strategy_reports_progress_from_its_first_candle(clock):
    reports = []  # (instant, fraction)
    simulation.simulate(
        Driver(clock, seconds=1.0),
        initial_cash=1000,
        progress=lambda fraction: reports.append((clock.now, fraction)) and False,
    )
    assert reports[0] == (1.0, 1 / COUNT)
    gaps = [b[0] - a[0] for a, b in zip(reports, reports[1:])]
    assert max(gaps) <= 1.0 and len(reports) >= COUNT - 1


def test_a_slow_strategy_stops_within_a_candle_of_the_cancel(clock):
    result = simulation.simulate(Driver(clock, seconds=1.0), initial_cash=1000, should_stop=lambda: clock.now >= 5.0)
    assert result.cancelled is True and result.bars == 5


def test_a_fast_strategy_keeps_batches_of_64_candles(clock):
    checks = []
    result = simulation.simulate(
        Driver(clock, seconds=0.0), initial_cash=1000, should_stop=lambda: checks.append(1) and False
    )
    assert result.bars == COUNT and not result.cancelled
    assert len(checks) == 1 + -(-(COUNT - 1) // simulation.MAX_BATCH)  # une bougie, puis des lots de 64


def test_batch_size_follows_the_duration_of_the_previous_batch():
    assert simulation.next_batch_size(1, 1.0) == 1
    assert simulation.next_batch_size(10, 0.1) == 5
    assert simulation.next_batch_size(1, 0.0001) == simulation.MAX_BATCH
    assert simulation.next_batch_size(64, 0.0) == simulation.MAX_BATCH
