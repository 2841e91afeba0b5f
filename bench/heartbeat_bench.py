"""Banc du heartbeat : débit du pipeline complet et latence jusqu'à un abonné, contre le faux Binance local.

Trois processus, comme en vrai : le faux Binance (simulateur), le heartbeat (ce processus) et un abonné au
groupe `heartbeat` (la place du moteur). La référence, mesurée dans la même exécution, est la réception
brute d'un client WebSocket nu sur le même flux : le simulateur borne les deux, le pipeline ne peut pas aller
plus vite qu'elle ; mesurées l'une après l'autre, les deux varient d'une exécution à l'autre (ici jusqu'à
30 %), d'où un rapport parfois au-dessus de 1. Le débit compte jusqu'à la dernière bougie publiée et
enregistrée ; la latence, de l'envoi d'une clôture par le simulateur à la réception de sa vague par l'abonné.

Usage : .venv/bin/python bench/heartbeat_bench.py [--symbols 20] [--minutes 60] [--latency-minutes 60]
Utilise PostgreSQL et Redis comme `make test` (démarrés s'il le faut) : base test_aristobot_bench, Redis base 15.
"""

import argparse
import asyncio
import multiprocessing
import os
import statistics
import time

from bench_setup import bench_services, setup_django

from apps.heartbeat.known_pairs import USDT_BASES

BENCH_REDIS_DB = 15
START_MS = 1_709_337_600_000  # 2024-03-02 00:00 UTC : un début de bloc de 4 h
UPDATES_PER_MINUTE = 30  # comme Binance : une mise à jour de kline toutes les 2 s, la dernière la clôt
SYMBOLS = USDT_BASES


# --- Processus du faux Binance -------------------------------------------------------------------------------


def simulator_process(conn, updates_per_minute: int) -> None:
    setup_django()
    asyncio.run(_simulate(conn, updates_per_minute))


async def _simulate(conn, updates_per_minute: int) -> None:
    from apps.heartbeat.simulator.feeds import RandomWalkFeed
    from apps.heartbeat.simulator.server import BinanceSimulator

    simulator = await BinanceSimulator(
        RandomWalkFeed(start_ms=START_MS, seed=1, updates_per_minute=updates_per_minute), ping_interval=None
    ).start()
    conn.send(simulator.port)
    while True:
        command, *args = await asyncio.to_thread(conn.recv)
        if command == "stop":
            break
        if command == "wait_subscribed":
            while len(simulator.subscriptions()) < args[0]:
                await asyncio.sleep(0.01)
            conn.send("ok")
            continue
        minutes, seconds_per_minute, spread = args  # "play"
        sent_before, closes, first = simulator.sent, {}, time.time()
        for tick in range(minutes * updates_per_minute):
            if seconds_per_minute:
                await asyncio.sleep(max(0.0, first + tick * seconds_per_minute / updates_per_minute - time.time()))
            start, (_, events) = time.time(), simulator.feed.advance()
            for index, event in enumerate(events):
                if spread and event["k"]["x"]:  # clôtures étalées sur `spread` secondes
                    await asyncio.sleep(max(0.0, start + index * spread / len(events) - time.time()))
                if event["k"]["x"]:
                    closes[(event["s"], event["k"]["t"])] = time.time()
                await simulator.broadcast(f"{event['s'].lower()}@kline_1m", event)
            if not seconds_per_minute:
                await asyncio.sleep(0)
        conn.send({"first": first, "sent": simulator.sent - sent_before, "closes": closes})
    await simulator.stop()


# --- Processus abonné (la place du moteur) --------------------------------------------------------------------


def subscriber_process(conn) -> None:
    setup_django()
    asyncio.run(_subscribe(conn))


async def _subscribe(conn) -> None:
    from channels.layers import get_channel_layer

    from apps.core.channels import HEARTBEAT_GROUP

    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(HEARTBEAT_GROUP, channel)
    received: dict[tuple, float] = {}

    async def receive():
        while True:
            candles = (await layer.receive(channel))["message"]["data"]["candles"]
            at = time.time()
            for candle in candles:
                received[(candle["symbol"], candle["timeframe"], candle["open_time"])] = at

    receiving = asyncio.create_task(receive())
    conn.send("ready")
    while (await asyncio.to_thread(conn.recv)) == ("report",):
        conn.send(dict(received))
        received.clear()
    receiving.cancel()
    await layer.group_discard(HEARTBEAT_GROUP, channel)


# --- Le heartbeat (ce processus) --------------------------------------------------------------------------------


class Child:
    def __init__(self, target, *args):
        context = multiprocessing.get_context("spawn")
        self.conn, child_conn = context.Pipe()
        self.process = context.Process(target=target, args=(child_conn, *args), daemon=True)
        self.process.start()
        self.first = self.conn.recv()

    async def ask(self, *command):
        self.conn.send(command)
        return await asyncio.to_thread(self.conn.recv)

    def stop(self) -> None:
        self.conn.send(("stop",))
        self.process.join(timeout=10)


async def reference(symbols: list[str], minutes: int) -> float:
    """Réception brute : un client WebSocket nu compte les messages, sans rien en faire."""
    from websockets.asyncio.client import connect

    from apps.heartbeat.binance import stream_url

    simulator = Child(simulator_process, UPDATES_PER_MINUTE)
    expected = len(symbols) * minutes * UPDATES_PER_MINUTE
    try:
        url = stream_url(f"ws://127.0.0.1:{simulator.first}", symbols)
        async with connect(url, max_size=2**22, compression=None) as ws:  # comme le heartbeat
            await simulator.ask("wait_subscribed", len(symbols))
            simulator.conn.send(("play", minutes, 0, 0))
            for _ in range(expected):
                await ws.recv()
            last = time.time()
            report = await asyncio.to_thread(simulator.conn.recv)
    finally:
        simulator.stop()
    return expected / (last - report["first"])


async def with_heartbeat(symbols: list[str], updates_per_minute: int, run):
    """Lance simulateur, abonné et HeartbeatService ; chauffe une minute (rattrapage initial) puis `run(...)`."""
    from asgiref.sync import sync_to_async

    from apps.heartbeat.models import HeartbeatConfig
    from apps.heartbeat.service import HeartbeatService
    from apps.market_data.models import Candle

    def reset():
        Candle.objects.all().delete()
        HeartbeatConfig.objects.update_or_create(pk=1, defaults={"symbols": symbols})

    await sync_to_async(reset)()
    simulator = Child(simulator_process, updates_per_minute)
    subscriber = Child(subscriber_process)
    url = f"127.0.0.1:{simulator.first}"
    service = HeartbeatService(ws_url=f"ws://{url}", rest_url=f"http://{url}")
    stop = asyncio.Event()
    task = asyncio.create_task(service.run(stop))
    try:
        await simulator.ask("wait_subscribed", len(symbols))
        await simulator.ask("play", 1, 0, 0)
        await settle(service, len(symbols) * updates_per_minute)
        await subscriber.ask("report")
        return await run(service, simulator, subscriber)
    finally:
        stop.set()
        await task
        simulator.stop()
        subscriber.stop()


async def settle(service, messages: int) -> float:
    """Attend que le heartbeat ait lu `messages` messages et enregistré ses bougies (l'écriture suit la
    publication) ; retourne cet instant, à 5 ms près, après avoir laissé 0,5 s aux derniers messages."""
    while service.status.counters["messages"] < messages or not service.queue.empty() or service.writer.jobs:
        await asyncio.sleep(0.005)
    stored = time.time()
    await asyncio.sleep(0.5)
    return stored


async def throughput(symbols: list[str], minutes: int) -> float:
    async def run(service, simulator, subscriber):
        warm = service.status.counters["messages"]
        report = await simulator.ask("play", minutes, 0, 0)
        stored = await settle(service, warm + report["sent"])
        received = await subscriber.ask("report")
        return report["sent"] / (max(stored, *received.values()) - report["first"])

    return await with_heartbeat(symbols, UPDATES_PER_MINUTE, run)


async def latency(
    symbols: list[str], minutes: int, seconds_per_minute: float, spread: float
) -> tuple[list[float], list[float]]:
    """Une mise à jour et une clôture par minute et par symbole ; les clôtures d'une minute partent ensemble
    (`spread` = 0) ou étalées sur `spread` secondes."""
    from datetime import datetime

    from apps.heartbeat.bars import MINUTE_MS, TIMEFRAME_MS

    async def run(service, simulator, subscriber):
        report = await simulator.ask("play", minutes, seconds_per_minute, spread)
        await settle(service, 0)
        received = await subscriber.ask("report")
        minute, higher = [], []
        for (symbol, timeframe, open_time), at in received.items():
            # Une bougie est due à la clôture de sa dernière 1m : on mesure depuis l'envoi de celle-ci.
            start = int(datetime.fromisoformat(open_time).timestamp() * 1000)
            sent = report["closes"].get((symbol.replace("/", ""), start + TIMEFRAME_MS[timeframe] - MINUTE_MS))
            if sent is not None:
                (minute if timeframe == "1m" else higher).append((at - sent) * 1000)
        return minute, minute + higher

    return await with_heartbeat(symbols, 2, run)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def bench(args) -> None:
    symbols = [f"{base}/USDT" for base in SYMBOLS[: args.symbols]]
    raw = await reference(symbols, args.minutes)
    rate = await throughput(symbols, args.minutes)
    latencies = [
        (f"{len(symbols)} clôtures ensemble", await latency(symbols, args.latency_minutes, args.seconds_per_minute, 0)),
        (
            f"clôtures étalées sur {args.spread * 1000:.0f} ms",
            await latency(symbols, args.latency_minutes, args.seconds_per_minute, args.spread),
        ),
    ]
    events = len(symbols) * args.minutes * UPDATES_PER_MINUTE
    print(
        f"\nHeartbeat — {len(symbols)} symboles, {events} événements kline (30 par minute et par symbole, "
        f"dont la clôture), {os.cpu_count()} cœurs"
    )
    print(f"  Référence, réception brute (client WebSocket nu) : {raw:10,.0f} événements/s")
    print(
        f"  Pipeline complet (lecture, 8 unités, publication, base) : {rate:10,.0f} événements/s"
        f"  = {rate / raw:.2f} × la référence ; objectif ≥ 2 000/s : {'OK' if rate >= 2000 else 'NON'}"
    )
    print(
        f"  Latence envoi d'une clôture → son message `heartbeat` reçu par un abonné ({args.latency_minutes} "
        "minutes ; objectif p99 < 10 ms) :"
    )
    for scenario, (minute, everything) in latencies:
        print(f"    {scenario} :")
        for name, values in (("bougies 1m", minute), ("toutes unités", everything)):
            p99 = percentile(values, 0.99)
            print(
                f"      {name:14} n={len(values):5}  p50 {statistics.median(values):5.1f} ms  "
                f"p99 {p99:5.1f} ms  max {max(values):5.1f} ms  {'OK' if p99 < 10 else 'NON'}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--symbols", type=int, default=20)
    parser.add_argument("--minutes", type=int, default=60, help="minutes de marché pour le débit")
    parser.add_argument("--latency-minutes", type=int, default=60)
    parser.add_argument(
        "--seconds-per-minute",
        type=float,
        default=0.25,
        help="rythme de la mesure de latence (secondes réelles par minute de marché)",
    )
    parser.add_argument(
        "--spread", type=float, default=0.2, help="étalement des clôtures d'une même minute, second scénario (secondes)"
    )
    args = parser.parse_args()

    with bench_services("test_aristobot_bench", BENCH_REDIS_DB):
        asyncio.run(bench(args))


if __name__ == "__main__":
    main()
