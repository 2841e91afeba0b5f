"""Banc de la réception des webhooks : des rafales d'alertes TradingView d'un même utilisateur, contre un vrai Daphne.

TradingView envoie beaucoup d'alertes à la même clôture de bougie et abandonne une livraison après 3 s. On envoie
d'un coup 50 puis 200 alertes (identifiants distincts) d'un même utilisateur, chacune sur sa connexion, et on mesure
le temps de chaque réponse ; puis on compte ce qui est enregistré. La référence, mesurée dans la même exécution, est
la même rafale vers un jeton inconnu (404 : le chemin le plus court de Daphne et Django, sans écriture).
Objectif : p99 < 200 ms pour 50, et tout enregistré.

Usage : .venv/bin/python bench/webhook_bench.py [--bursts 50 200] [--rounds 3]
Utilise PostgreSQL et Redis comme `make test` (démarrés s'il le faut) : base test_aristobot_webhook_bench,
Redis base 14.
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time

from bench_setup import ROOT, bench_services

BENCH_REDIS_DB = 14


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_daphne(database_url: str) -> tuple[subprocess.Popen, str]:
    """Daphne comme sous le superviseur : sur le port ouvert par lui et transmis (`daphne --fd`, POSIX)."""
    from processes import web_command

    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, LOG_LEVEL="WARNING", WEBHOOK_RATE_PER_MINUTE="100000")
    args, fds = web_command(sys.executable, port)
    process = subprocess.Popen(
        args,
        cwd=ROOT / "backend",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **({"pass_fds": fds} if fds else {}),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"http://127.0.0.1:{port}"
        time.sleep(0.1)
    process.kill()
    raise SystemExit("Daphne ne répond pas après 30 s.")


def world() -> str:
    """Un utilisateur avec un broker paper par défaut ; retourne son jeton."""
    from apps.accounts.models import User
    from apps.brokers.models import Broker
    from apps.webhooks.models import Webhook
    from apps.webhooks.services.tokens import token_for

    Webhook.objects.all().delete()
    user, _ = User.objects.get_or_create(username="banc")
    broker, _ = Broker.objects.get_or_create(user=user, name="Banc paper", exchange="paper")
    user.default_broker = broker
    user.save(update_fields=["default_broker"])
    return token_for(user).token


def stored_count() -> int:
    from apps.webhooks.models import Webhook

    return Webhook.objects.count()


async def burst(url: str, size: int, tag: str) -> tuple[list[float], list[int]]:
    """`size` alertes envoyées ensemble, une connexion chacune ; (latences en ms, codes HTTP)."""
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(index: int) -> tuple[float, int]:
            body = json.dumps({"action": "buy", "symbol": "BTCUSDT", "quantity": "0.001", "id": f"{tag}-{index}"})
            started = time.perf_counter()
            async with session.post(url, data=body, headers={"Content-Type": "text/plain"}) as response:
                await response.read()
                return (time.perf_counter() - started) * 1000, response.status

        results = await asyncio.gather(*(one(index) for index in range(size)))
    return [latency for latency, _ in results], [code for _, code in results]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def line(name: str, latencies: list[float]) -> str:
    return (
        f"{name:34} p50 {statistics.median(latencies):6.1f} ms  p99 {percentile(latencies, 0.99):6.1f} ms  "
        f"max {max(latencies):6.1f} ms"
    )


def bench(args, base: str) -> None:
    token = world()
    print(
        f"\nWebhooks — rafales d'un même utilisateur contre Daphne, {os.cpu_count()} cœurs, meilleur de "
        f"{args.rounds} tours"
    )
    for size in args.bursts:
        best_reference, best, sent, stored, codes = None, None, 0, 0, []
        for round_ in range(args.rounds):
            reference, _ = asyncio.run(burst(f"{base}/api/webhooks/tradingview/inconnu/", size, "ref"))
            before = stored_count()
            latencies, codes = asyncio.run(burst(f"{base}/api/webhooks/tradingview/{token}/", size, f"{size}-{round_}"))
            sent += size
            stored += stored_count() - before
            if best is None or percentile(latencies, 0.99) < percentile(best, 0.99):
                best = latencies
            if best_reference is None or percentile(reference, 0.99) < percentile(best_reference, 0.99):
                best_reference = reference
        p99 = percentile(best, 0.99)
        print(f"  Rafale de {size} :")
        print("    " + line("référence (jeton inconnu, 404)", best_reference))
        print(
            "    "
            + line("alertes reçues (200)", best)
            + f"  = {p99 / percentile(best_reference, 0.99):.2f} × la référence"
        )
        print(
            f"    codes du dernier tour : {sorted(set(codes))} ; enregistrées {stored} / envoyées {sent}"
            f"{'' if stored == sent else '  PERTE'}"
        )
        if size == 50:
            print(
                f"    objectif p99 < 200 ms : {'OK' if p99 < 200 else 'NON'} ; sous les 3 s de TradingView : "
                f"{'OK' if max(best) < 3000 else 'NON'}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bursts", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with bench_services("test_aristobot_webhook_bench", BENCH_REDIS_DB):
        from testing.database import database_url

        daphne, base = start_daphne(database_url())
        try:
            bench(args, base)
        finally:
            daphne.terminate()
            daphne.wait(10)


if __name__ == "__main__":
    main()
