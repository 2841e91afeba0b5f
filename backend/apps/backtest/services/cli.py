"""La commande `backtest` : bougies d'un CSV ou de la table, même runner et même moteur que la page."""

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from apps.backtest.services.candles import FIELDS, bounds_ms, candle_exchange, missing_spans, stored_candles, to_ms
from apps.backtest.services.engine import market_terms, run_backtest
from apps.backtest.services.execution import gaps_error, strategy_error
from apps.backtest.services.results import iso
from apps.brokers.models import Broker
from apps.core.exceptions import ExchangeError
from apps.core.symbols import unified_symbol
from apps.heartbeat.bars import TIMEFRAME_MS
from apps.strategies.models import Strategy
from apps.strategies.runner.client import RunnerError, StrategyRunner
from apps.strategies.runner.simulation import DEFAULT_FEE

TIME_COLUMNS = ("open_time_ms", "date", "time")


@dataclass
class CliRequest:
    options: dict

    @classmethod
    def from_options(cls, options: dict) -> "CliRequest":
        if options["timeframe"] not in TIMEFRAME_MS:
            raise ValueError(f"Unité de temps inconnue : {options['timeframe']} ({', '.join(TIMEFRAME_MS)}).")
        return cls(options)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"Date illisible : « {text} » (ISO-8601 attendu, ex. 2024-01-01T00:00:00Z).") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def csv_candles(path: str) -> dict[str, np.ndarray]:
    """Les bougies d'un CSV (colonne de temps open_time_ms, ou date / time en ISO-8601), triées par heure."""
    try:
        with open(path, newline="") as source:
            rows = list(csv.DictReader(source))
    except OSError as error:
        raise ValueError(f"CSV illisible : {error}") from None
    if not rows:
        raise ValueError("CSV vide.")
    columns = {name.strip().lower(): name for name in rows[0]}
    clock = next((name for name in TIME_COLUMNS if name in columns), None)
    missing = [name for name in FIELDS[1:] if name not in columns]
    if clock is None or missing:
        raise ValueError(f"Colonnes attendues : open_time_ms (ou date / time), {', '.join(FIELDS[1:])}.")
    try:
        times = [
            int(row[columns[clock]]) if clock == "open_time_ms" else to_ms(_moment(row[columns[clock]])) for row in rows
        ]
        values = {name: [float(Decimal(row[columns[name]])) for row in rows] for name in FIELDS[1:]}
    except (ValueError, InvalidOperation) as error:
        raise ValueError(f"CSV : valeur illisible ({error}).") from None
    order = np.argsort(times, kind="stable")
    return {"time": np.asarray(times, dtype=np.int64)[order], **{n: np.asarray(v)[order] for n, v in values.items()}}


def _user(options: dict):
    if not options["user"]:
        raise ValueError("--user est nécessaire avec --strategy et --broker.")
    user = get_user_model().objects.filter(username=options["user"]).first()
    if user is None:
        raise ValueError(f"Utilisateur inconnu : {options['user']}.")
    return user


def _code(options: dict) -> str:
    if options["strategy_file"]:
        try:
            return Path(options["strategy_file"]).read_text(encoding="utf-8")
        except OSError as error:
            raise ValueError(f"Fichier de stratégie illisible : {error}") from None
    strategy = Strategy.objects.filter(user=_user(options), name=options["strategy"]).first()
    if strategy is None:
        raise ValueError(f"Stratégie inconnue pour {options['user']} : {options['strategy']}.")
    return strategy.code


def _stored(options: dict, exchange: str, symbol: str) -> tuple[dict, list]:
    if not (options["start"] and options["end"]):
        raise ValueError("--start et --end sont nécessaires avec --symbol.")
    timeframe = options["timeframe"]
    start_ms, end_ms = bounds_ms(_moment(options["start"]), _moment(options["end"]), timeframe)
    candles = stored_candles(exchange=exchange, symbol=symbol, timeframe=timeframe, start_ms=start_ms, end_ms=end_ms)
    spans = missing_spans(candles["time"], start_ms=start_ms, end_ms=end_ms, step=TIMEFRAME_MS[timeframe])
    return candles, [{"start": iso(a), "end": iso(b)} for a, b in spans]


def run_cli(request: CliRequest) -> dict:
    """{"trades", "stats", "gaps", "bars"} du backtest demandé ; ValueError (français) pour une demande impossible."""
    options = request.options
    code = _code(options)
    broker = None
    if options["broker"] is not None:
        broker = Broker.objects.filter(user=_user(options), pk=options["broker"]).first()
        if broker is None:
            raise ValueError(f"Broker {options['broker']} inconnu pour {options['user']}.")
    if options["csv"]:
        candles, gaps, symbol = csv_candles(options["csv"]), [], None
    else:
        symbol = unified_symbol(options["symbol"])
        if not symbol:
            raise ValueError(f"Paire illisible : {options['symbol']}.")
        exchange = candle_exchange(broker) if broker is not None else options["exchange"]
        candles, gaps = _stored(options, exchange, symbol)
        if gaps and not options["allow_gaps"]:
            raise ValueError(gaps_error(gaps))
    if len(candles["time"]) == 0:
        raise ValueError("Aucune bougie.")
    try:
        fee = None if options["fee"] is None else Decimal(options["fee"])
        amount = Decimal(options["amount"])
    except InvalidOperation:
        raise ValueError("--amount et --fee sont des nombres (ex. 10000 et 0.001).") from None
    if amount <= 0:
        raise ValueError("Le montant de départ doit être positif.")
    try:
        if broker is not None and symbol:
            fee, step = market_terms(broker=broker, symbol=symbol, fee=fee)
        else:
            fee, step = float(DEFAULT_FEE if fee is None else fee), None
    except (ValidationError, ExchangeError) as error:
        raise ValueError(str(getattr(error, "message", None) or " ".join(error.messages))) from None
    runner = StrategyRunner()
    try:
        outcome, _ = run_backtest(
            runner=runner,
            code=code,
            candles=candles,
            timeframe=options["timeframe"],
            initial_amount=float(amount),
            fee=fee,
            quantity_step=step,
        )
    except RunnerError as error:
        raise ValueError(strategy_error(error)) from None
    finally:
        runner.close()
    return {"trades": outcome.trades, "stats": outcome.stats, "gaps": gaps, "bars": outcome.bars}
