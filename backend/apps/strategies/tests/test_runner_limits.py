"""Temps et mémoire : une boucle infinie est arrêtée et le runner remplacé ; 2 Gio refusés ; un runner mort revient."""

import asyncio
import os
import signal
import threading

import numpy as np
import pytest

from apps.strategies.contract.template import TEMPLATE_CODE
from apps.strategies.runner.client import AsyncStrategyRunner, RunnerCrashed, RunnerTimeout, StrategyFailed
from apps.strategies.tests.conftest import FIRST_BODY_LINE, strategy_code


def test_infinite_loop_is_stopped_and_the_runner_replaced(runner, candles):
    runner.call("check", {"code": TEMPLATE_CODE}, timeout=60)
    first_pid = runner.pid
    with pytest.raises(RunnerTimeout, match="plus de 2 s"):
        runner.call("dry_run", {"code": strategy_code("while True:\n    pass")}, candles, timeout=2)
    assert runner.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(first_pid, 0)
    assert runner.call("dry_run", {"code": TEMPLATE_CODE}, candles, timeout=60)["class"] == "MaStrategie"
    assert runner.pid not in (None, first_pid)


def test_two_gib_allocation_is_stopped(runner, candles):
    for allocation in ("x = [0] * (2 ** 28)", "x = np.ones(2 ** 28)", "x = bytearray(2 * 1024 ** 3)"):
        with pytest.raises(StrategyFailed) as caught:
            runner.call("dry_run", {"code": strategy_code(f"{allocation}\nreturn False")}, candles, timeout=30)
        assert "mémoire épuisée" in caught.value.message and caught.value.line == FIRST_BODY_LINE
    assert runner.call("dry_run", {"code": TEMPLATE_CODE}, candles, timeout=5)["class"] == "MaStrategie"


def test_runner_memory_cap(runner):
    assert runner.call("diagnostics", timeout=60)["rlimit_as"] == 1 << 30


def test_dead_runner_is_restarted(runner, candles):
    runner.call("check", {"code": TEMPLATE_CODE}, timeout=60)
    first_pid = runner.pid
    killer = threading.Timer(0.5, os.kill, (first_pid, signal.SIGKILL))
    killer.start()
    # Un runner mort se voit tout de suite : sans cela, l'appel finirait en RunnerTimeout au bout des 30 s.
    with pytest.raises(RunnerCrashed, match="s'est arrêté"):
        runner.call("dry_run", {"code": strategy_code("while True:\n    pass")}, candles, timeout=30)
    assert runner.call("check", {"code": TEMPLATE_CODE}, timeout=60)["class"] == "MaStrategie"
    assert runner.pid != first_pid


async def test_async_api_for_the_engine(runner, candles):
    engine_runner = AsyncStrategyRunner(runner)
    results = await asyncio.gather(
        *(engine_runner.call("check", {"code": TEMPLATE_CODE}, timeout=60) for _ in range(3))
    )
    assert [r["class"] for r in results] == ["MaStrategie"] * 3
    with pytest.raises(RunnerTimeout):
        await engine_runner.call("dry_run", {"code": strategy_code("while True:\n    pass")}, candles, timeout=1)
    assert (await engine_runner.call("check", {"code": TEMPLATE_CODE}, timeout=60))["class"] == "MaStrategie"


@pytest.mark.django_db
def test_api_reports_the_timeout_and_the_next_test_works(alice_api):
    body = alice_api.post(
        "/api/strategies/validate/", {"code": strategy_code("while True:\n    pass")}, format="json"
    ).json()
    assert body["ok"] is False and "Délai dépassé" in body["errors"][0]["message"]
    assert alice_api.post("/api/strategies/validate/", {"code": TEMPLATE_CODE}, format="json").json()["ok"] is True


def test_failing_progress_callback_does_not_desynchronise_the_runner(runner, candles):
    slow = strategy_code("return self.candles['close'].iloc[-3:].mean() < 0")
    many = {name: np.resize(values, 200_000) for name, values in candles.items()}

    def broken(fraction):
        raise ValueError("rappel cassé")

    with pytest.raises(ValueError, match="rappel cassé"):
        runner.call("backtest", {"code": slow, "initial_cash": 1000}, many, timeout=60, on_progress=broken)
    assert runner.call("check", {"code": TEMPLATE_CODE}, timeout=60)["class"] == "MaStrategie"
