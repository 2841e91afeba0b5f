"""Banc du moteur : une vague de bougies clôturées pour 20 stratégies actives sur 20 paires, jusqu'au dernier ordre
accusé par l'exchange.

Le moteur réel (TradingEngine, cycle des stratégies, runner, service d'ordres, porte des exchanges, classe `binance`
de CCXT) reçoit chaque vague par le groupe Channels `heartbeat` ; le faux Binance local, dans son processus (un
exchange distant), répond à chaque ordre après 50 ms (hors verrou : des ordres simultanés attendent ensemble).
Chaque stratégie achète à une vague et vend à la suivante : chaque vague passe 20 ordres. Mesures, sur `--waves`
vagues : du début du traitement de la vague reçue au dernier ordre accusé (p50, p99), et le temps CPU du moteur
par vague (son processus, puis le runner des stratégies, un processus à part). Référence de la même exécution :
20 ordres passés ensemble par le service d'ordres sans le moteur (le plancher du service d'ordres et de CCXT).

Usage : .venv/bin/python bench/engine_bench.py [--strategies 20] [--waves 50] [--order-delay 0.05] [--protection]
Utilise PostgreSQL et Redis comme `make test` (démarrés s'il le faut) : base test_aristobot_engine_bench,
Redis base 14. DEBUG désactivé (comme en production).
"""

import argparse
import asyncio
import multiprocessing
import statistics
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bench_setup import bench_services

from apps.heartbeat.known_pairs import USDT_BASES

BENCH_REDIS_DB = 14
HISTORY = 500
START = datetime(2024, 3, 1, tzinfo=UTC)
# Une SMA 10/30 calculée à chaque vague ; achat puis vente à la vague suivante, 50 USDT.
CODE = """\
from decimal import Decimal

from aristobot.strategies import Strategy
import aristobot.indicators as ta


class Bascule(Strategy):
    warmup = 30

    def indicators(self, candles):
        return {"fast": ta.sma(candles["close"], 10), "slow": ta.sma(candles["close"], 30)}

    def should_long(self):
        return self.ind.fast[-1] > 0

    def should_exit(self):
        return self.ind.slow[-1] > 0

    def calculate_position_size(self):
        return Decimal("50")
"""
# --protection : chaque achat porte un stop-loss et un take-profit (un OCO posé après l'achat, retiré avant la vente).
PROTECTION = """
    def calculate_stop_loss(self):
        return self.price * Decimal("0.95")

    def calculate_take_profit(self):
        return self.price * Decimal("1.05")
"""


def fake_exchange_process(conn, symbols: list[str], order_delay: float) -> None:
    """Le faux Binance dans son processus, comme un exchange distant : son CPU ne compte pas dans le moteur."""
    from http.server import ThreadingHTTPServer

    from testing.fake_binance import FakeBinance

    ThreadingHTTPServer.request_queue_size = 128  # 5 par défaut : 20 connexions ensemble perdraient des SYN (1 s)
    fake = FakeBinance(symbols=symbols, api_key="k", secret="s").start()
    fake.prices.update({symbol.replace("/", ""): Decimal(100) for symbol in symbols})
    fake.balances["USDT"] = [Decimal(10**9), Decimal(0)]
    fake.order_delay = order_delay
    conn.send(fake.url)
    conn.recv()
    conn.send(len(fake.orders))
    fake.stop()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def process_cpu(pid: int) -> float:
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def prepare(symbols: list[str], waves: int, protection: bool):
    """Utilisateur, broker binance (faux), stratégie, une activation par paire, 500 bougies d'historique ; rend les
    vagues à publier, chacune avec ses bougies à enregistrer."""
    from django.contrib.auth import get_user_model

    from apps.brokers.models import Broker
    from apps.market_data.models import Candle
    from apps.orders.models import Position, Trade
    from apps.strategies.models import Strategy
    from apps.trading_engine.models import ActiveStrategy
    from testing.activations import activate, new_strategy
    from testing.candles import closed_candle, flat_candle

    ActiveStrategy.objects.all().delete()
    Trade.objects.all().delete()
    Position.objects.all().delete()
    Strategy.objects.all().delete()
    Broker.objects.all().delete()
    get_user_model().objects.filter(username="banc").delete()
    Candle.objects.filter(symbol__in=symbols).delete()
    user = get_user_model().objects.create_user(username="banc", password="mot-de-passe-du-banc-42")
    broker = Broker.objects.create(user=user, name="Faux Binance", exchange="binance", api_key="k", api_secret="s")
    code = CODE + (PROTECTION if protection else "")
    strategy = new_strategy(user, code, name="Bascule")
    for symbol in symbols:
        activate(user, strategy, broker, symbol=symbol, amount="1000")

    def flat(symbol: str, minute: int, price: Decimal) -> Candle:
        """La 1m de `symbol` ouverte `minute` minutes après START, à `price` de bout en bout."""
        return flat_candle(START + timedelta(minutes=minute), price, symbol)

    history = [flat(symbol, minute, Decimal(100 + minute % 7)) for symbol in symbols for minute in range(HISTORY)]
    Candle.objects.bulk_create(history, batch_size=2000)
    # les bougies de chaque vague, enregistrées juste avant sa publication, comme le fait le heartbeat
    stored = [[flat(symbol, HISTORY + wave, Decimal(100)) for symbol in symbols] for wave in range(waves)]
    first_ms = int((START + timedelta(minutes=HISTORY)).timestamp() * 1000)
    events = [
        [closed_candle(symbol, "1m", "100", first_ms + wave * 60_000) for symbol in symbols] for wave in range(waves)
    ]
    return user, broker, list(zip(events, stored, strict=True))


async def bench(args) -> None:
    from asgiref.sync import sync_to_async
    from django.conf import settings

    from apps.core.channels import HEARTBEAT_GROUP, candles_event, publish
    from apps.core.services.ccxt_manager import ccxt_manager
    from apps.market_data.models import Candle
    from apps.orders.models import Position, Trade
    from apps.orders.request import OrderRequest
    from apps.orders.services import place_order
    from apps.strategies.services.runners import close_runners, runner_for
    from apps.trading_engine.cycle import StrategyCycle
    from apps.trading_engine.engine import TradingEngine
    from apps.trading_engine.models import ActiveStrategy, Decision
    from testing.channel_groups import group_members, wait_for_members

    symbols = [f"{base}/USDT" for base in USDT_BASES[: args.strategies]]
    parent, child = multiprocessing.Pipe()
    exchange = multiprocessing.Process(target=fake_exchange_process, args=(child, symbols, args.order_delay))
    exchange.start()
    try:
        settings.EXCHANGE_API_URLS = {"binance": parent.recv()}
        # Le faux serveur (HTTP/1.0) ferme parfois une connexion que aiohttp réutilise : la lecture est reprise
        # aussitôt, comme dans les tests, au lieu d'attendre le délai fait pour un vrai exchange.
        settings.CCXT_RETRY_DELAY_MS = 0
        user, broker, waves = await sync_to_async(prepare)(symbols, args.waves, args.protection)

        # Référence : les mêmes ordres passés ensemble par le service d'ordres, sans le moteur.
        async def reference_wave(index: int) -> float:
            started = time.perf_counter()
            await asyncio.gather(
                *(
                    sync_to_async(place_order, thread_sensitive=False)(
                        OrderRequest(
                            user=user,
                            broker_id=broker.pk,
                            symbol=symbol,
                            side="buy",
                            order_type="market",
                            amount=Decimal(50),
                            source="manual",
                            client_order_id=f"ref-{index}-{n}",
                        )
                    )
                    for n, symbol in enumerate(symbols)
                )
            )
            return time.perf_counter() - started

        async def new_minute() -> None:
            """Les vagues arrivent ici l'une après l'autre, pas une par minute : la fenêtre glissante du limiteur
            de CCXT (poids par minute, comme Binance) est vidée comme si la minute était passée."""

            async def clear():
                for handle in ccxt_manager._handles.values():
                    handle.exchange.throttler.timestamps = []

            await ccxt_manager.on_door_loop(clear())

        await reference_wave(-1)  # instance CCXT et marchés chargés
        reference, reference_cpu = [], []
        for index in range(5):
            await new_minute()
            cpu_before = time.process_time()
            reference.append(await reference_wave(index))
            reference_cpu.append(time.process_time() - cpu_before)
        await sync_to_async(Trade.objects.all().delete)()
        await sync_to_async(Position.objects.all().delete)()  # les achats de la référence ne sont pas au moteur

        # L'horloge du moteur suit les vagues rejouées (sinon bougies anciennes, non décidées) ; au démarrage, la
        # dernière bougie de l'historique est fraîche : le moteur la décide (reprise de démarrage), puis les vagues.
        market_now = [START + timedelta(minutes=HISTORY)]
        engine = TradingEngine(cycle=StrategyCycle(clock=lambda: market_now[0]))
        timings, acked, cpu, acks = [], [], [], []
        wave_on, door_call = engine.on_wave, ccxt_manager._call

        async def call(broker, method, *args, **kwargs):  # l'accusé d'un ordre par l'exchange, vu par le moteur
            answer = await door_call(broker, method, *args, **kwargs)
            if method.startswith("create_"):  # create_order, create_market_buy_order_with_cost (achat au montant)
                acks.append(time.perf_counter())
            return answer

        async def timed_wave(event):
            acks.clear()
            started, cpu_before = time.perf_counter(), time.process_time()
            await wave_on(event)
            timings.append(time.perf_counter() - started)
            acked.append(max(acks, default=started) - started)
            cpu.append(time.process_time() - cpu_before)

        ccxt_manager._call = call

        engine.on_wave = timed_wave  # la vague reçue du groupe : positions surveillées, puis le cycle
        stop = asyncio.Event()
        members = await group_members(HEARTBEAT_GROUP)
        running = asyncio.create_task(engine.run(stop))
        await wait_for_members(HEARTBEAT_GROUP, known=members)  # le moteur écoute les vagues
        while await sync_to_async(ActiveStrategy.objects.filter(last_candle_at__isnull=True).exists)():
            await asyncio.sleep(0.05)  # la reprise de démarrage a décidé la dernière bougie de l'historique
        runner_pid = None
        runner_cpu = []
        for wave, candles in waves:
            before = len(timings)
            runner_before = process_cpu(runner_pid) if runner_pid else 0.0
            await sync_to_async(Candle.objects.bulk_create)(candles)
            await new_minute()
            market_now[0] = datetime.fromisoformat(wave[0]["close_time"])
            await publish(HEARTBEAT_GROUP, candles_event(wave))
            while len(timings) == before:
                await asyncio.sleep(0.002)
            runner_pid = runner_pid or runner_for(user.pk).pid
            runner_cpu.append(process_cpu(runner_pid) - runner_before if runner_before else float("nan"))
        stop.set()
        await asyncio.wait_for(running, timeout=30)
        close_runners()
        statuses = await sync_to_async(
            lambda: dict(Trade.objects.values_list("status").annotate(n=__import__("django").db.models.Count("id")))
        )()
        decisions = await sync_to_async(
            lambda: dict(
                Decision.objects.values_list("action", "message")
                .annotate(n=__import__("django").db.models.Count("id"))
                .order_by("-n")
                .values_list("message", "n")[:3]
            )
        )()
    finally:
        parent.send("stop")
        received = parent.recv()
        exchange.join(timeout=10)

    steady, steady_acked = timings[1:], acked[1:]  # la première vague charge les fenêtres et démarre le runner
    print(
        f"{args.strategies} stratégies, {args.strategies} paires, {args.waves} vagues, "
        f"ordre accusé après {args.order_delay * 1000:.0f} ms{', achats protégés (OCO)' if args.protection else ''} :"
    )
    print(f"  première vague (fenêtres chargées, runner démarré) : {timings[0] * 1000:7.1f} ms")
    print(
        f"  vague reçue -> dernier ordre accusé : p50 {statistics.median(steady_acked) * 1000:6.1f} ms  "
        f"p90 {percentile(steady_acked, 0.9) * 1000:6.1f} ms  p99 {percentile(steady_acked, 0.99) * 1000:6.1f} ms  "
        f"max {max(steady_acked) * 1000:6.1f} ms  (objectif p99 < 250 ms ; "
        f"{sum(a > 0.25 for a in steady_acked)}/{len(steady_acked)} vagues au-delà)"
    )
    print(
        f"  vague reçue -> vague finie (positions, messages) : p50 {statistics.median(steady) * 1000:6.1f} ms  "
        f"p99 {percentile(steady, 0.99) * 1000:6.1f} ms  max {max(steady) * 1000:6.1f} ms"
    )
    print(
        f"  CPU par vague : moteur {statistics.median(cpu[1:]) * 1000:6.1f} ms (médiane), "
        f"runner {statistics.median([c for c in runner_cpu[1:] if c == c]) * 1000:6.1f} ms"
    )
    print(
        f"  référence, 20 ordres ensemble par le service d'ordres sans le moteur : "
        f"{statistics.median(reference) * 1000:6.1f} ms, CPU {statistics.median(reference_cpu) * 1000:.1f} ms ; "
        f"rapport moteur / référence "
        f"{statistics.median(steady) / statistics.median(reference):.2f}"
    )
    print(f"  ordres du moteur : {statuses} ; reçus par le faux Binance (référence comprise) : {received}")
    print(f"  décisions les plus fréquentes : {decisions}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategies", type=int, default=20)
    parser.add_argument("--waves", type=int, default=50)
    parser.add_argument("--order-delay", type=float, default=0.05)
    parser.add_argument("--protection", action="store_true", help="achats protégés par un OCO (stop-loss, take-profit)")
    args = parser.parse_args()

    with bench_services("test_aristobot_engine_bench", BENCH_REDIS_DB, debug=False):
        asyncio.run(bench(args))


if __name__ == "__main__":
    main()
