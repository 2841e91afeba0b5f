"""Outils des tests de stratégies : un runner neuf, du code de stratégie à compléter, des bougies."""

import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

from apps.strategies.runner.client import StrategyRunner
from apps.strategies.runner.sample import generated_candles

HEADER = """\
from aristobot.strategies import Strategy
import aristobot.indicators as ta
import numpy as np
import pandas as pd


class Essai(Strategy):
"""
# Ligne de la première instruction d'un corps donné à strategy_code (après « def should_long(self): »).
FIRST_BODY_LINE = HEADER.count("\n") + 2


def strategy_code(should_long: str, *, extra: str = "") -> str:
    """Une stratégie dont should_long a le corps donné (et d'autres méthodes dans `extra`)."""
    body = textwrap.indent(textwrap.dedent(should_long).strip("\n"), " " * 8)
    more = textwrap.indent(textwrap.dedent(extra).strip("\n"), " " * 4)
    return f"{HEADER}    def should_long(self):\n{body}\n\n{more}\n"


@pytest.fixture
def runner():
    runner = StrategyRunner()
    yield runner
    runner.close()


@pytest.fixture
def candles():
    return generated_candles(200)


def rising_candles(count: int) -> dict[str, np.ndarray]:
    close = np.arange(1, count + 1, dtype=np.float64) * 10.0
    return {
        "time": 1_704_067_200_000 + 60_000 * np.arange(count, dtype=np.int64),
        "open": close - 1,
        "high": close + 1,
        "low": close - 2,
        "close": close,
        "volume": np.ones(count),
    }


def assert_confined(runner) -> None:
    """Le processus vivant qui exécute les stratégies est confiné : seccomp en mode filtre, no_new_privs, dans son
    propre espace PID, Landlock posé (ABI ≥ 4) et aucune couche manquante."""
    status = Path(f"/proc/{runner.confined_pid}/status").read_text()
    assert "\nSeccomp:\t2\n" in status and "\nNoNewPrivs:\t1\n" in status, status
    assert re.search(r"\nNSpid:\t\d+\t1\n", status), status
    report = runner.call("diagnostics", timeout=30)["confinement"]
    assert report["missing"] == {} and report["landlock_abi"] >= 4, report
