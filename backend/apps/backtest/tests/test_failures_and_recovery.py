"""Une stratégie qui lève en plein calcul : échec avec la ligne de l'utilisateur, le worker continue. Un worker
arrêté brutalement ne laisse jamais un backtest « en cours »."""

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from e2e.servers import BACKEND

from apps.backtest.models import BacktestRun
from apps.backtest.services.runs import STALE_ERROR, claim_next
from apps.backtest.tests.conftest import RAISES_AT_BAR, RAISING_LINE
from testing.strategy_code import SLOW_SMA_CROSS

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_raising_strategy_fails_with_its_line_and_the_next_backtest_still_runs(
    alice, paper_broker, ltc_5m, tested_strategy, request_body, alice_api, drain
):
    broken = tested_strategy(alice, RAISES_AT_BAR, name="Cassée")
    good = tested_strategy(alice)
    first = alice_api.post("/api/backtests/", request_body(broken, paper_broker, ltc_5m), format="json").data["id"]
    second = alice_api.post("/api/backtests/", request_body(good, paper_broker, ltc_5m), format="json").data["id"]

    assert drain() == 2
    failed = alice_api.get(f"/api/backtests/{first}/").data
    assert failed["status"] == "failed"
    assert f"ligne {RAISING_LINE}" in failed["error"] and "boum" in failed["error"], failed["error"]
    assert "should_long" in failed["error"] and failed["trades"] == []
    assert alice_api.get(f"/api/backtests/{second}/").data["status"] == "done"


def test_a_silent_worker_leaves_its_backtest_failed_not_running(
    alice, paper_broker, ltc_5m, tested_strategy, request_body, alice_api
):
    strategy = tested_strategy(alice)
    run_id = alice_api.post("/api/backtests/", request_body(strategy, paper_broker, ltc_5m), format="json").data["id"]
    assert claim_next().pk == run_id  # un worker l'a pris… puis s'est tu
    BacktestRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now() - timedelta(seconds=61))

    shown = alice_api.get(f"/api/backtests/{run_id}/").data
    assert (shown["status"], shown["error"]) == ("failed", STALE_ERROR)
    assert shown["finished_at"] is not None


def test_a_restarted_worker_fails_what_the_killed_one_left_running_then_serves_the_queue(
    alice, bob, paper_broker, ltc_5m, tested_strategy, request_body, alice_api, running_worker_factory, wait_until
):
    strategy = tested_strategy(alice)
    left = alice_api.post("/api/backtests/", request_body(strategy, paper_broker, ltc_5m), format="json").data["id"]
    assert claim_next().pk == left  # pris par un worker tué (bail encore valable)
    waiting = alice_api.post("/api/backtests/", request_body(strategy, paper_broker, ltc_5m), format="json").data["id"]

    with running_worker_factory():
        wait_until(lambda: BacktestRun.objects.get(pk=waiting).status == "done", 20)
    assert BacktestRun.objects.get(pk=left).status == "failed"
    assert BacktestRun.objects.get(pk=left).error == STALE_ERROR


def test_a_worker_killed_mid_run_is_replaced_and_the_run_ends_failed_not_running(
    alice, paper_broker, ltc_5m, tested_strategy, request_body, alice_api, db_url, wait_until, tmp_path
):
    strategy = tested_strategy(alice, SLOW_SMA_CROSS)
    run_id = alice_api.post("/api/backtests/", request_body(strategy, paper_broker, ltc_5m), format="json").data["id"]
    run = BacktestRun.objects.filter(pk=run_id)
    env = dict(os.environ, DATABASE_URL=db_url)

    def start(name: str) -> subprocess.Popen:
        with open(tmp_path / f"{name}.log", "w") as log:
            return subprocess.Popen(
                [sys.executable, "manage.py", "run_backtest_worker"],
                cwd=BACKEND,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    first = start("premier")
    try:
        wait_until(lambda: run.get().phase == "compute" and run.get().progress > 0, 30)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert run.get().status == "running"  # rien ne l'a encore déclaré

    second = start("second")
    try:
        wait_until(lambda: run.get().status == "failed", 30)
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(20) == 0, (tmp_path / "second.log").read_text()
    assert run.get().error == STALE_ERROR
