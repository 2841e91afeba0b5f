"""Progression publiée au moins deux fois par seconde pendant le calcul ; « Annuler » arrête en moins d'une seconde
et garde le résultat partiel."""

import asyncio
import time

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from apps.backtest.models import BacktestRun
from apps.backtest.services.results import iso
from apps.backtest.tests.conftest import SLOW
from apps.backtest.worker import BacktestWorker
from apps.core.channels import user_group

pytestmark = pytest.mark.django_db(transaction=True)


async def test_progress_reaches_the_owner_at_least_twice_a_second(
    alice, bob, paper_broker, ltc_5m, tested_strategy, request_body, alice_api
):
    strategy = await database_sync_to_async(tested_strategy)(alice, SLOW)
    layer = get_channel_layer()
    alice_channel, bob_channel = await layer.new_channel(), await layer.new_channel()
    await layer.group_add(user_group(alice.pk), alice_channel)
    await layer.group_add(user_group(bob.pk), bob_channel)
    body = request_body(strategy, paper_broker, ltc_5m)
    run_id = (await database_sync_to_async(alice_api.post)("/api/backtests/", body, format="json")).data["id"]

    work = asyncio.ensure_future(BacktestWorker().drain())
    seen = []  # (instant, message)
    while True:
        event = await asyncio.wait_for(layer.receive(alice_channel), 10)
        message = event["message"]
        assert message["type"] == "backtest" and message["data"]["id"] == run_id
        seen.append((time.monotonic(), message["data"]))
        if message["data"]["status"] not in ("queued", "running"):
            break
    assert await work == 1

    computing = [(at, data) for at, data in seen if data["status"] == "running" and data["phase"] == "compute"]
    assert len(computing) >= 6
    gaps = [b[0] - a[0] for a, b in zip(computing, computing[1:])]
    assert max(gaps) < 0.5, gaps
    moving = next(at for at, data in computing if data["progress"] > 0)
    # « Calcul » avance dès le premier lot de bougies : le runner a démarré pendant le chargement (à froid ≈ 3 s)
    assert moving - computing[0][0] < 1.5
    percents = [data["progress"] for _, data in computing]
    assert percents == sorted(percents) and 0 < percents[len(percents) // 2] < 100
    last = percents[-1]
    shown = str(int(last)) if last >= 10 else f"{last:.1f}".replace(".", ",").removesuffix(",0")
    assert computing[-1][1]["progress_label"] == f"Calcul {shown} %"
    final = seen[-1][1]
    assert final["status"] == "done" and final["progress"] == 100 and "trades" not in final
    try:
        await asyncio.wait_for(layer.receive(bob_channel), 0.3)
        raise AssertionError("un message est arrivé chez bob")
    except TimeoutError:
        pass


def test_cancel_stops_within_a_second_and_keeps_the_partial_result(
    alice, paper_broker, ltc_5m, tested_strategy, request_body, alice_api, running_worker, wait_until
):
    strategy = tested_strategy(alice, SLOW)
    run_id = alice_api.post("/api/backtests/", request_body(strategy, paper_broker, ltc_5m), format="json").data["id"]
    run = BacktestRun.objects.filter(pk=run_id)
    wait_until(lambda: run.get().phase == "compute" and run.get().progress > 5, 15)

    asked = time.monotonic()
    answer = alice_api.post(f"/api/backtests/{run_id}/cancel/")
    assert answer.status_code == 200 and answer.data["cancel_requested"] is True
    wait_until(lambda: run.get().status == "cancelled", 2)
    assert time.monotonic() - asked < 1.0

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
    slow, quick = tested_strategy(alice, SLOW, name="Lente"), tested_strategy(alice)
    doomed = alice_api.post("/api/backtests/", request_body(slow, paper_broker, ltc_5m), format="json").data["id"]
    wait_until(lambda: BacktestRun.objects.filter(pk=doomed, phase="compute", progress__gt=0).exists(), 15)
    after = alice_api.post("/api/backtests/", request_body(quick, paper_broker, ltc_5m), format="json").data["id"]

    assert alice_api.delete(f"/api/backtests/{doomed}/").status_code == 204
    wait_until(lambda: BacktestRun.objects.get(pk=after).status == "done", 10)
    assert not BacktestRun.objects.filter(pk=doomed).exists()
