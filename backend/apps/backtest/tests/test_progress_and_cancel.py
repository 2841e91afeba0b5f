"""Progression publiée au propriétaire pendant le calcul, croissante ; « Annuler » arrête le calcul et garde le
résultat partiel. Les cadences promises (deux progressions par seconde, arrêt en moins d'une seconde) se mesurent
par `bench/backtest_progress_bench.py`."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from apps.backtest.models import BacktestRun
from apps.backtest.services.results import iso
from apps.backtest.worker import BacktestWorker
from apps.core.channels import user_group
from testing.channel_groups import received_so_far
from testing.strategy_code import SLOW_SMA_CROSS

pytestmark = pytest.mark.django_db(transaction=True)


async def test_progress_reaches_the_owner_while_it_computes_and_never_another_user(
    alice, bob, paper_broker, ltc_5m, tested_strategy, request_body, alice_api
):
    strategy = await database_sync_to_async(tested_strategy)(alice, SLOW_SMA_CROSS)
    layer = get_channel_layer()
    alice_channel, bob_channel = await layer.new_channel(), await layer.new_channel()
    await layer.group_add(user_group(alice.pk), alice_channel)
    await layer.group_add(user_group(bob.pk), bob_channel)
    body = request_body(strategy, paper_broker, ltc_5m)
    run_id = (await database_sync_to_async(alice_api.post)("/api/backtests/", body, format="json")).data["id"]

    assert await BacktestWorker().drain() == 1

    received = [event["message"] for event in await received_so_far(alice_channel, layer=layer)]
    seen = [message["data"] for message in received if message["type"] == "backtest"]  # hors alertes de la cloche
    assert {data["id"] for data in seen} == {run_id}
    computing = [data for data in seen if data["status"] == "running" and data["phase"] == "compute"]
    assert len(computing) >= 3
    percents = [data["progress"] for data in computing]
    assert percents == sorted(percents) and 0 < percents[len(percents) // 2] < 100
    last = percents[-1]
    shown = str(int(last)) if last >= 10 else f"{last:.1f}".replace(".", ",").removesuffix(",0")
    assert computing[-1]["progress_label"] == f"Calcul {shown} %"
    final = seen[-1]
    assert final["status"] == "done" and final["progress"] == 100 and "trades" not in final
    assert await received_so_far(bob_channel, layer=layer) == []


def test_cancel_stops_the_computation_and_keeps_the_partial_result(
    alice, paper_broker, ltc_5m, tested_strategy, request_body, alice_api, running_worker, wait_until
):
    strategy = tested_strategy(alice, SLOW_SMA_CROSS)
    run_id = alice_api.post("/api/backtests/", request_body(strategy, paper_broker, ltc_5m), format="json").data["id"]
    run = BacktestRun.objects.filter(pk=run_id)
    wait_until(lambda: run.get().phase == "compute" and run.get().progress > 5, 15)

    answer = alice_api.post(f"/api/backtests/{run_id}/cancel/")
    assert answer.status_code == 200 and answer.data["cancel_requested"] is True
    wait_until(lambda: run.get().status in ("cancelled", "done"), 15)
    assert run.get().status == "cancelled"

    detail = alice_api.get(f"/api/backtests/{run_id}/").data
    assert detail["partial"] is True and 0 < detail["bars"] < 865
    assert len(detail["equity"]) == detail["bars"]
    assert detail["final_amount"] is not None and detail["stats"]["total_trades"] == str(len(detail["trades"]))
    last_bar = iso(detail["equity"][-1]["time"])
    assert detail["trades"] and all(t["exit_time"] <= last_bar for t in detail["trades"])


def test_a_queued_backtest_is_cancelled_at_once(alice, paper_broker, ltc_5m, tested_strategy, request_body, alice_api):
    strategy = tested_strategy(alice)
    run_id = alice_api.post("/api/backtests/", request_body(strategy, paper_broker, ltc_5m), format="json").data["id"]
    answer = alice_api.post(f"/api/backtests/{run_id}/cancel/").data
    assert (answer["status"], answer["partial"], answer["final_amount"]) == ("cancelled", False, None)
    assert answer["stats"]["sharpe_ratio"] is None and set(answer["stats"].values()) == {None}
    assert asyncio.run(BacktestWorker().drain()) == 0


def test_deleting_a_running_backtest_stops_it_and_the_worker_serves_the_next(
    alice, paper_broker, ltc_5m, tested_strategy, request_body, alice_api, running_worker, wait_until
):
    slow, quick = tested_strategy(alice, SLOW_SMA_CROSS, name="Lente"), tested_strategy(alice)
    doomed = alice_api.post("/api/backtests/", request_body(slow, paper_broker, ltc_5m), format="json").data["id"]
    wait_until(lambda: BacktestRun.objects.filter(pk=doomed, phase="compute", progress__gt=0).exists(), 15)
    after = alice_api.post("/api/backtests/", request_body(quick, paper_broker, ltc_5m), format="json").data["id"]

    assert alice_api.delete(f"/api/backtests/{doomed}/").status_code == 204
    wait_until(lambda: BacktestRun.objects.get(pk=after).status == "done", 10)
    assert not BacktestRun.objects.filter(pk=doomed).exists()
