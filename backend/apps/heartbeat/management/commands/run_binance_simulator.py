import argparse
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.core.daemon import run_service
from apps.heartbeat.simulator.feeds import RandomWalkFeed, RecordedFeed
from apps.heartbeat.simulator.server import BinanceSimulator


def _utc(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"date invalide : {value!r} (attendu AAAA-MM-JJTHH:MM)") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Faux Binance local pour le mode hors ligne : flux de klines + REST /api/v3/klines sur un seul port, "
        "nourri par une marche aléatoire ou un fichier enregistré. Pointez BINANCE_WS_URL=ws://hôte:port "
        "et BINANCE_REST_URL=http://hôte:port dessus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=9443)
        parser.add_argument(
            "--speed",
            type=float,
            default=1.0,
            help="secondes de marché par seconde réelle (1 = temps réel, 60 = une minute par "
            "seconde, 0 = au plus vite)",
        )
        parser.add_argument(
            "--file", type=Path, help="fichier JSON Lines d'événements kline à rejouer (sinon marche aléatoire)"
        )
        parser.add_argument("--seed", type=int, default=0, help="graine de la marche aléatoire")
        parser.add_argument(
            "--start",
            type=_utc,
            help="heure de marché au départ de la marche aléatoire, UTC "
            "(ex. 2024-03-01T23:58 : toutes les unités se ferment à "
            "minuit) ; par défaut maintenant",
        )
        parser.add_argument(
            "--updates-per-minute",
            type=int,
            default=30,
            help="mises à jour par minute et par symbole (Binance : 30, une toutes les 2 s)",
        )

    def handle(self, *args, host, port, speed, file, seed, start, updates_per_minute, **options):
        if speed < 0:
            raise CommandError("--speed doit être positif ou nul.")
        try:
            if file:
                feed = RecordedFeed(file)
            else:
                feed = RandomWalkFeed(
                    start_ms=int((start or timezone.now()).timestamp() * 1000),
                    seed=seed,
                    updates_per_minute=updates_per_minute,
                )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        simulator = BinanceSimulator(feed, host=host, port=port, speed=speed)

        async def main(stop):
            await simulator.start()
            try:
                await simulator.run(stop)
            finally:
                await simulator.stop()

        run_service("Simulateur Binance", main)
