"""Exports CSV d'un backtest (trades, courbe complète) et bougies de sa période pour le graphique."""

from apps.backtest.models import BacktestRun
from apps.backtest.services.candles import bounds_ms, from_ms
from apps.backtest.services.results import iso, rounded
from apps.core.csv_export import french_csv
from apps.market_data.models import Candle

TRADE_COLUMNS = (
    "entry_time",
    "entry_price",
    "exit_time",
    "exit_price",
    "exit_reason",
    "quantity",
    "fees",
    "pnl",
    "pnl_pct",
    "duration_seconds",
    "stop_loss",
    "take_profit",
)


def trades_csv(run: BacktestRun) -> str:
    return french_csv(TRADE_COLUMNS, ([trade.get(name) for name in TRADE_COLUMNS] for trade in run.trades_detail))


def equity_csv(run: BacktestRun) -> str:
    """Une ligne par bougie : heure ISO UTC, heure en ms, valeur du compte, achat-conservation."""
    times, equity, buy_hold = run.full_curve()
    return french_csv(
        ("time", "time_ms", "equity", "buy_hold"),
        ((iso(t), int(t), rounded(e), rounded(b)) for t, e, b in zip(times.tolist(), equity, buy_hold)),
    )


def run_candles(run: BacktestRun) -> list[dict]:
    """Les bougies enregistrées de la période du backtest : [{time (ms), open, high, low, close, volume}]."""
    start_ms, end_ms = bounds_ms(run.start, run.end, run.timeframe, now=run.finished_at or run.created_at)
    rows = Candle.objects.filter(
        exchange=run.exchange,
        symbol=run.symbol,
        timeframe=run.timeframe,
        open_time__gte=from_ms(start_ms),
        open_time__lt=from_ms(end_ms),
    ).values_list("open_time", "open", "high", "low", "close", "volume")
    return [
        {
            "time": int(open_time.timestamp() * 1000),
            **{
                name: format(value.normalize(), "f")
                for name, value in zip(("open", "high", "low", "close", "volume"), values)
            },
        }
        for open_time, *values in rows.order_by("open_time")
    ]
