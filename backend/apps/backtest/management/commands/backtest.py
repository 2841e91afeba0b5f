"""`manage.py backtest` : un backtest en ligne de commande, même moteur et même runner que la page."""

import json

from django.core.management.base import BaseCommand, CommandError

from apps.backtest.services.cli import CliRequest, run_cli


class Command(BaseCommand):
    help = (
        "Backtest d'une stratégie sur un CSV de bougies (--strategy-file F.py --csv bougies.csv) ou sur les bougies "
        "enregistrées (--strategy NOM --user U --symbol BTC/USDT --start ... --end ...). --json imprime "
        '{"trades": [...], "stats": {...}} (heures ISO-8601 UTC, nombres en texte).'
    )

    def add_arguments(self, parser):
        code = parser.add_mutually_exclusive_group(required=True)
        code.add_argument("--strategy-file", help="fichier Python de la stratégie")
        code.add_argument("--strategy", help="nom d'une stratégie enregistrée (avec --user)")
        parser.add_argument("--user", help="utilisateur de --strategy et de --broker")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "--csv", help="bougies : open_time_ms (ou date / time ISO-8601), open, high, low, close, volume"
        )
        source.add_argument("--symbol", help="paire des bougies enregistrées, ex. BTC/USDT")
        parser.add_argument("--start", help="début ISO-8601 (bougies enregistrées)")
        parser.add_argument("--end", help="fin ISO-8601 (bougies enregistrées)")
        parser.add_argument("--exchange", default="binance", help="exchange des bougies enregistrées (binance)")
        parser.add_argument("--broker", type=int, help="id d'un broker de --user : pas de quantité et frais du marché")
        parser.add_argument("--timeframe", required=True, help="1m 3m 5m 10m 15m 1h 2h 4h")
        parser.add_argument("--amount", default="10000", help="montant de départ (10000)")
        parser.add_argument("--fee", help="frais par exécution (0.001 = 0,1 %% ; par défaut ceux du marché)")
        parser.add_argument("--allow-gaps", action="store_true", help="calculer malgré des bougies manquantes")
        parser.add_argument("--json", action="store_true", help="imprimer le résultat en JSON")

    def handle(self, *args, **options):
        try:
            result = run_cli(CliRequest.from_options(options))
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        for name, value in result["stats"].items():
            self.stdout.write(f"{name:32} {value}")
        for gap in result["gaps"]:
            self.stdout.write(f"bougies manquantes : {gap['start']} - {gap['end']}")
