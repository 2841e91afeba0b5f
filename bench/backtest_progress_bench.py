"""Banc de la progression et d'« Annuler » d'un backtest, par le chemin de la page : demande (`create_run`), worker
(`BacktestWorker`), messages du groupe privé de l'utilisateur, annulation (`cancel_run`) relue par le calcul.

Mesures, sur --rounds tours (le premier démarre le runner) : l'écart le plus long entre deux progressions publiées
pendant le calcul (objectif < 500 ms : « au moins deux fois par seconde ») ; le délai entre le début du calcul et son
premier pourcentage (objectif < 1 500 ms) ; le délai entre « Annuler » et l'état « annulé » en base, résultat partiel
gardé (objectif < 1 000 ms). Données : les 865 bougies 5m LTC/BTC partagées (rangées en BTC/USDT), stratégie
`SLOW_SMA_CROSS` (environ 2,5 s de calcul), comme les tests de `apps/backtest/tests/test_progress_and_cancel.py`.

Usage : .venv/bin/python bench/backtest_progress_bench.py [--rounds 3]
Utilise PostgreSQL et Redis comme `make test` (démarrés s'il le faut) : base test_aristobot_backtest_bench,
Redis base 13.
"""

import argparse
import asyncio
import os
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal

from bench_setup import bench_services

BENCH_REDIS_DB = 13


def world() -> tuple:
    """L'utilisateur du banc, son broker paper, sa stratégie lente et la période des bougies ; rien d'un lancement
    précédent."""
    from django.contrib.auth import get_user_model

    from apps.backtest.models import BacktestRun
    from apps.backtest.services.candles import save_candles
    from apps.brokers.models import Broker
    from testing import ltcbtc
    from testing.activations import new_strategy
    from testing.strategy_code import SLOW_SMA_CROSS

    user, _ = get_user_model().objects.get_or_create(username="banc-backtest")
    BacktestRun.objects.filter(user=user).delete()
    user.strategies.all().delete()
    broker, _ = Broker.objects.get_or_create(user=user, name="Banc paper", exchange="paper")
    rows = ltcbtc.btc_usdt_ohlcv("5m")
    save_candles(exchange="binance", symbol="BTC/USDT", timeframe="5m", candles=rows)
    period = [datetime.fromtimestamp(ms / 1000, tz=UTC) for ms in (rows[0].open_time_ms, rows[-1].open_time_ms)]
    request = {
        "user": user,
        "strategy": new_strategy(user, SLOW_SMA_CROSS, name="Lente", timeframe="5m").pk,
        "broker": broker.pk,
        "symbol": "BTC/USDT",
        "timeframe": "5m",
        "start": period[0],
        "end": period[1],
        "initial_amount": Decimal("10000"),
    }
    return user, request


async def progress_round(user, request) -> tuple[float, float]:
    """Un backtest entier ; (écart le plus long entre deux progressions du calcul, délai du premier pourcentage),
    en secondes, à l'arrivée des messages chez l'utilisateur."""
    from channels.db import database_sync_to_async
    from channels.layers import get_channel_layer

    from apps.backtest.services.runs import create_run
    from apps.backtest.worker import BacktestWorker
    from apps.core.channels import user_group

    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(user_group(user.pk), channel)
    run = await database_sync_to_async(create_run)(**request)
    work = asyncio.ensure_future(BacktestWorker().drain())
    computing = []  # instants des progressions du calcul
    while True:
        data = (await asyncio.wait_for(layer.receive(channel), 60))["message"]["data"]
        if data.get("id") != run.pk:
            continue
        if data["status"] == "running" and data["phase"] == "compute":
            computing.append((time.monotonic(), data["progress"]))
        if data["status"] not in ("queued", "running"):
            break
    await work
    await layer.group_discard(user_group(user.pk), channel)
    gaps = [later[0] - earlier[0] for earlier, later in zip(computing, computing[1:])]
    moving = next(at for at, progress in computing if progress > 0)
    return max(gaps), moving - computing[0][0]


def cancel_round(user, request) -> tuple[float, bool]:
    """Un backtest annulé en plein calcul ; (délai entre « Annuler » et l'état « annulé », résultat partiel gardé)."""
    from django.db import connections

    from apps.backtest.models import BacktestRun
    from apps.backtest.services.runs import cancel_run, create_run, user_run
    from apps.backtest.worker import BacktestWorker

    def drain():
        asyncio.run(BacktestWorker().drain())
        connections.close_all()

    run = create_run(**request)
    worker = threading.Thread(target=drain)
    worker.start()
    rows = BacktestRun.objects.filter(pk=run.pk)
    while not rows.filter(phase="compute", progress__gt=5).exists():
        time.sleep(0.01)
    asked = time.monotonic()
    cancel_run(run=user_run(user, run.pk))
    while not rows.exclude(status="running").exists():
        time.sleep(0.005)
    took = time.monotonic() - asked
    worker.join()
    finished = rows.get()
    return took, finished.status == "cancelled" and finished.partial


def milliseconds(values: list[float]) -> str:
    return f"meilleur {min(values) * 1000:6.0f} ms, pire {max(values) * 1000:6.0f} ms"


def bench(args) -> None:
    user, request = world()
    gaps, firsts, cancels, partial = [], [], [], True
    for _ in range(args.rounds):
        gap, first = asyncio.run(progress_round(user, request))
        gaps.append(gap)
        firsts.append(first)
        took, kept = cancel_round(user, request)
        cancels.append(took)
        partial = partial and kept
    print(
        f"\nBacktest — progression et « Annuler » par le worker, 865 bougies 5m, stratégie lente, "
        f"{os.cpu_count()} cœurs, {args.rounds} tours"
    )
    print(f"  écart le plus long entre deux progressions du calcul : {milliseconds(gaps)}  (objectif < 500 ms)")
    print(f"  premier pourcentage après le début du calcul :         {milliseconds(firsts)}  (objectif < 1 500 ms)")
    print(f"  « Annuler » jusqu'à l'état annulé en base :            {milliseconds(cancels)}  (objectif < 1 000 ms)")
    print(f"  résultat partiel gardé après « Annuler » : {'oui' if partial else 'NON'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with bench_services("test_aristobot_backtest_bench", BENCH_REDIS_DB):
        bench(args)


if __name__ == "__main__":
    main()
