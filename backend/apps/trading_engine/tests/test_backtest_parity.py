"""Parité avec le backtest : de vraies 1m LTC/BTC rejouées par le simulateur Binance dans le heartbeat, le moteur
trade une SMA 10/30 avec stop-loss et take-profit sur un broker paper ; le cœur du backtest, sur les mêmes
bougies, donne les mêmes entrées (même bougie, même prix d'ouverture) et les mêmes sorties (même prix, même
raison). Les écarts qui restent (quantités, frais) sont listés dans Aristobot3.md, « Cycle du moteur »."""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.utils import timezone

from apps.brokers.models import Broker, PaperBalance
from apps.core.channels import HEARTBEAT_GROUP
from apps.heartbeat.models import HeartbeatConfig
from apps.heartbeat.service import HeartbeatService
from apps.heartbeat.simulator.feeds import RecordedFeed, kline_event
from apps.heartbeat.simulator.server import BinanceSimulator
from apps.market_data.models import Candle
from apps.orders.models import Trade
from apps.strategies.runner.client import StrategyRunner
from apps.strategies.runner.simulation import trades_from_result
from apps.trading_engine.cycle import StrategyCycle
from apps.trading_engine.engine import TradingEngine
from apps.trading_engine.models import ActiveStrategy
from testing import ltcbtc
from testing.channel_groups import group_members, wait_for_members
from testing.strategy_code import sma_cross
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime(2018, 1, 20, 16, 0, tzinfo=UTC)  # dans 1141 minutes sans trou à partir de 09:55
MINUTES = 300
PRICE_STEP = 1e-6 + 1e-12
SMA_CROSS = sma_cross("0.994", "1.004", warmup=30)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def record(path: Path) -> list[dict]:
    """Le flux combiné enregistré : une mise à jour à mi-minute, puis la clôture ; rend les lignes jouées."""
    rows = ltcbtc.rows("1m", START, START + timedelta(minutes=MINUTES))
    with open(path, "w") as file:
        for row in rows:
            start = int(row["open_time_ms"])
            candle = [row[key] for key in ("open", "high", "low", "close", "volume")]
            for closed, at in ((False, start + 30_000), (True, start + 60_000)):
                event = kline_event("LTCBTC", start, candle, 10, closed, at)
                file.write(json.dumps({"stream": "ltcbtc@kline_1m", "data": event}) + "\n")
    return rows


def backtest(user_id: int) -> list[dict]:
    """Le cœur du backtest sur les bougies 1m enregistrées par le heartbeat (les mêmes que le moteur a vues)."""
    candles = list(
        Candle.objects.filter(symbol="LTC/BTC", timeframe="1m")
        .order_by("open_time")
        .values_list("open_time", "open", "high", "low", "close", "volume")
    )
    arrays = {
        "time": np.array([ms(c[0]) for c in candles], dtype=np.int64),
        **{
            name: np.array([float(c[i]) for c in candles], dtype=np.float64)
            for i, name in enumerate(("open", "high", "low", "close", "volume"), start=1)
        },
    }
    runner = StrategyRunner()
    try:
        result = runner.call(
            "backtest",
            {"code": SMA_CROSS, "initial_cash": 10, "fee": 0.001, "quantity_step": 0.001},
            arrays,
            timeout=60,
        )
    finally:
        runner.close()
    return trades_from_result(result)


def live_trades(activation: ActiveStrategy) -> list[dict]:
    """Les positions du moteur : bougie d'exécution de l'entrée (celle qui suit la bougie décidée), prix d'entrée,
    prix et raison de sortie."""
    from apps.orders.models import Position

    found = []
    for position in (
        Position.objects.filter(active_strategy_id=activation.pk).select_related("entry_trade").order_by("id")
    ):
        decided = int(position.entry_trade.client_order_id.rsplit("-", 1)[1])
        found.append(
            {
                "entry_candle": decided + 60_000,
                "entry_price": position.entry_price,
                "exit_price": position.exit_price,
                "exit_reason": position.exit_reason or None,
                "status": position.status,
            }
        )
    return found


async def test_the_engine_trades_like_the_backtest_on_replayed_real_candles(tmp_path, alice, make_strategy, activate):
    rows = record(tmp_path / "ltcbtc.jsonl")
    strategy = await sync_to_async(make_strategy)(alice, SMA_CROSS, name="Croisement")
    broker = await sync_to_async(Broker.objects.create)(user=alice, name="Démo", exchange="paper")
    await sync_to_async(PaperBalance.objects.create)(broker=broker, currency="BTC", free=Decimal("100"))
    await sync_to_async(HeartbeatConfig.objects.update_or_create)(pk=1, defaults={"symbols": ["LTC/BTC"]})
    activation = await sync_to_async(activate)(
        alice, strategy, broker, symbol="LTC/BTC", amount="10", start_date=timezone.now() - timedelta(minutes=1)
    )
    simulator = await BinanceSimulator(RecordedFeed(tmp_path / "ltcbtc.jsonl"), speed=0).start()
    service = HeartbeatService(
        ws_url=simulator.ws_url, rest_url=simulator.rest_url, status_seconds=0.05, rest_retry_delay=0.01
    )
    stop = asyncio.Event()
    market_now = [datetime.fromtimestamp(int(rows[0]["open_time_ms"]) / 1000, UTC)]
    engine = TradingEngine(cycle=StrategyCycle(clock=lambda: market_now[0]))  # l'heure du rejeu
    before = await group_members(HEARTBEAT_GROUP)
    tasks = [asyncio.create_task(service.run(stop)), asyncio.create_task(engine.run(stop))]
    try:
        await eventually(lambda: "ltcbtc@kline_1m" in simulator.subscriptions(), timeout=30, message="jamais abonné")
        await wait_for_members(HEARTBEAT_GROUP, known=before)
        for row in rows:
            opened = datetime.fromtimestamp(int(row["open_time_ms"]) / 1000, UTC)
            market_now[0] = opened + timedelta(minutes=1)
            await simulator.step()  # mi-minute
            await simulator.step()  # clôture : le moteur décide sur cette bougie
            await eventually(
                sync_to_async(
                    lambda opened=opened: ActiveStrategy.objects.filter(
                        pk=activation.pk, last_candle_at__gte=opened
                    ).exists()
                ),
                timeout=30,
                every=0.01,
                message=f"bougie {opened} jamais décidée",
            )
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=20)
        await simulator.stop()
        await sync_to_async(connections.close_all)()

    expected = await sync_to_async(backtest)(alice.pk)
    live = await sync_to_async(live_trades)(activation)
    closed = [t for t in expected if t["exit_reason"] != "end"]
    assert {t["exit_reason"] for t in closed} == {"signal", "stop_loss", "take_profit"}, "la parité ne prouverait rien"
    # Écart connu (Aristobot3.md) : en direct la protection n'existe qu'après l'exécution de l'achat ; une sortie
    # sur la bougie d'entrée elle-même ne se reproduit pas. Ces données n'en ont pas.
    assert all(t["entry_index"] < t["exit_index"] for t in closed)
    assert [t["entry_time"] for t in expected] == [t["entry_candle"] for t in live]
    for mine, theirs in zip(live, expected):
        assert float(mine["entry_price"]) == pytest.approx(theirs["entry_price"], rel=1e-12)
        if theirs["exit_reason"] != "end":
            assert mine["exit_reason"] == theirs["exit_reason"]
            # Stop et objectif sont posés arrondis au pas de prix de la paire (0,000001 BTC) : un pas d'écart au plus.
            assert abs(float(mine["exit_price"]) - theirs["exit_price"]) <= PRICE_STEP, (mine, theirs)
    assert await sync_to_async(Trade.objects.filter(status="rejected").count)() == 0
