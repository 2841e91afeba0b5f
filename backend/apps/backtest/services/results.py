"""Du résultat du runner (floats) aux trades, statistiques et courbes montrés et enregistrés (texte décimal).

Partagé par le worker (page) et la commande `backtest` : les mêmes chiffres des deux côtés.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np

from apps.core import metrics
from apps.strategies.runner.simulation import trades_from_result

MAX_EQUITY_POINTS = 2000
STAT_FIELDS = (
    "final_amount",
    "return_pct",
    "buy_hold_return_pct",
    "total_trades",
    "winning_trades",
    "losing_trades",
    "win_rate",
    "profit_factor",
    "expectancy",
    "avg_win",
    "avg_loss",
    "best_trade",
    "worst_trade",
    "max_drawdown_pct",
    "max_drawdown_duration_seconds",
    "sharpe_ratio",
    "sortino_ratio",
    "cagr_pct",
    "exposure_pct",
    "fees",
)
_MONEY = Decimal("1e-8")
_RATIO = Decimal("1e-4")
_HUGE = Decimal("1e15")


def iso(time_ms: int) -> str:
    return datetime.fromtimestamp(time_ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


def exact(value: float | None) -> str | None:
    """Un float du calcul en texte décimal à 12 chiffres significatifs (prix, quantités) : sans le bruit du
    float (0.13457000000000002 → 0.13457)."""
    if value is None or not math.isfinite(value):
        return None
    number = Decimal(repr(float(value)))
    if not number:
        return "0"
    return format(number.quantize(Decimal(1).scaleb(number.adjusted() - 11)).normalize(), "f")


def rounded(value: float | None, quantum: Decimal = _MONEY) -> str | None:
    """Un float en texte décimal arrondi à `quantum`, sans zéros inutiles (montants, %)."""
    if value is None or not math.isfinite(value):
        return None
    number = Decimal(repr(float(value)))
    if abs(number) >= _HUGE:  # au-delà, quantize dépasserait la précision de Decimal : texte exact
        return format(number, "f")
    text = format(number.quantize(quantum), "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


@dataclass
class BacktestOutcome:
    """Ce qu'un backtest rend : trades (dicts texte), statistiques (texte), courbe complète et réduite."""

    trades: list[dict]
    stats: dict
    final_amount: float
    times: np.ndarray
    equity: np.ndarray
    buy_hold: np.ndarray
    bars: int

    def display_curve(self) -> list[dict]:
        """≤ MAX_EQUITY_POINTS points régulièrement espacés, le dernier toujours compris."""
        count = len(self.times)
        indexes = np.unique(np.linspace(0, count - 1, min(count, MAX_EQUITY_POINTS)).round().astype(np.int64))
        return [
            {"time": int(self.times[i]), "equity": rounded(self.equity[i]), "buy_hold": rounded(self.buy_hold[i])}
            for i in indexes
        ]


def _trade(raw: dict) -> dict:
    return {
        "entry_time": iso(raw["entry_time"]),
        "entry_price": exact(raw["entry_price"]),
        "exit_time": iso(raw["exit_time"]),
        "exit_price": exact(raw["exit_price"]),
        "exit_reason": raw["exit_reason"],
        "quantity": exact(raw["quantity"]),
        "fees": rounded(raw["fees"]),
        "pnl": rounded(raw["pnl"]),
        "pnl_pct": rounded(raw["pnl_pct"], _RATIO),
        "duration_seconds": (raw["exit_time"] - raw["entry_time"]) / 1000,
        "stop_loss": exact(raw["stop_loss"]),
        "take_profit": exact(raw["take_profit"]),
    }


def _bars_in_position(raw_trades: list[dict]) -> int:
    """Clôtures vues en position : de l'entrée à la sortie exclue, la dernière comprise pour une vente de fin."""
    return sum(t["exit_index"] - t["entry_index"] + (t["exit_reason"] == "end") for t in raw_trades)


def outcome_from(result: dict, candles: dict[str, np.ndarray], *, initial_amount: float, bar_ms: int):
    """Le résultat d'un appel `backtest` du runner sur `candles` (au moins une bougie traitée ; interrompu, les
    bougies traitées seulement)."""
    raw_trades = trades_from_result(result)
    bars = int(result["bars"])
    times = np.asarray(candles["time"][:bars], dtype=np.int64)
    equity = np.asarray(result["equity"], dtype=np.float64)
    # Achat-conservation : acheté à l'ouverture de la première bougie, sans frais.
    buy_hold = initial_amount * np.asarray(candles["close"][:bars], dtype=np.float64) / float(candles["open"][0])
    final = float(result["final_cash"])
    trade_stats = metrics.trade_metrics([t["pnl"] for t in raw_trades])
    curve = metrics.curve_metrics(equity, times, initial=initial_amount, bar_ms=bar_ms, final=final)
    ratio = {"win_rate", "profit_factor", "max_drawdown_pct", "sharpe_ratio", "sortino_ratio", "cagr_pct"}
    stats = {
        "final_amount": rounded(final),
        "return_pct": rounded(metrics.total_return(initial_amount, final), _RATIO),
        "buy_hold_return_pct": rounded(metrics.total_return(initial_amount, float(buy_hold[-1])), _RATIO),
        "total_trades": str(trade_stats["total_trades"]),
        "winning_trades": str(trade_stats["winning_trades"]),
        "losing_trades": str(trade_stats["losing_trades"]),
        "exposure_pct": rounded(metrics.exposure(_bars_in_position(raw_trades), bars), _RATIO),
        "fees": rounded(sum(t["fees"] for t in raw_trades)),
        "max_drawdown_duration_seconds": rounded(curve["max_drawdown_duration_seconds"], Decimal(1)),
    }
    for name in ("win_rate", "profit_factor", "expectancy", "avg_win", "avg_loss", "best_trade", "worst_trade"):
        stats[name] = rounded(trade_stats[name], _RATIO if name in ratio else _MONEY)
    for name in ("max_drawdown_pct", "sharpe_ratio", "sortino_ratio", "cagr_pct"):
        stats[name] = rounded(curve[name], _RATIO)
    stats = {name: stats[name] for name in STAT_FIELDS}
    return BacktestOutcome([_trade(t) for t in raw_trades], stats, final, times, equity, buy_hold, bars)
