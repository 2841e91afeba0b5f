"""Statistiques d'une stratégie : fonctions pures sur des trades et une courbe de valeur (backtest, Statistiques).

Trades : suites de gains (pnl, en devise de cotation). Courbe : valeurs par bougie et leurs heures (ms UTC).
Ratios sur les rendements quotidiens (dernière valeur de chaque jour UTC), annualisés sur 365 jours ; comparés à
empyrical-reloaded dans les tests. Une statistique non définie (aucun trade, aucune perte, un seul jour) vaut None.
"""

import math
from collections.abc import Sequence

import numpy as np

DAY_MS = 86_400_000
YEAR_DAYS = 365
# En deçà, un rendement composé sur un an n'a pas de sens (+148 114 133 402 … % pour 1 h 46) : CAGR non défini.
MIN_ANNUALISED_DAYS = 30


def trade_metrics(pnls: Sequence[float]) -> dict:
    """Trades gagnants / perdants, taux de réussite (%), facteur de profit, espérance, gain et perte moyens,
    meilleur et pire trade."""
    values = np.asarray(pnls, dtype=np.float64)
    wins, losses = values[values > 0], values[values < 0]
    return totals_metrics(
        count=len(values),
        wins=len(wins),
        losses=len(losses),
        gross_win=float(wins.sum()),
        gross_loss=float(-losses.sum()),
        best=float(values.max()) if len(values) else None,
        worst=float(values.min()) if len(values) else None,
    )


def totals_metrics(*, count: int, wins: int, losses: int, gross_win, gross_loss, best, worst) -> dict:
    """Les mêmes statistiques depuis les totaux (sommés en base pour les Statistiques, en float ou en Decimal) :
    `gross_loss` est la somme des pertes en positif."""
    net = gross_win - gross_loss
    return {
        "total_trades": count,
        "winning_trades": wins,
        "losing_trades": losses,
        "win_rate": wins / count * 100 if count else None,
        "profit_factor": gross_win / gross_loss if gross_loss > 0 else None,
        "expectancy": net / count if count else None,
        "avg_win": gross_win / wins if wins else None,
        "avg_loss": -gross_loss / losses if losses else None,
        "best_trade": best,
        "worst_trade": worst,
    }


def pnl_drawdown(cumulative: Sequence, *, base) -> tuple:
    """Baisse maximale d'une courbe de P&L cumulé (partie de 0) : (en devise, négative ou 0 ; en % de la valeur
    au sommet, base + P&L du sommet)."""
    peak = worst = worst_pct = 0 * base
    for value in cumulative:
        peak = max(peak, value)
        if value - peak < worst:
            worst = value - peak
            worst_pct = worst / (base + peak) * 100 if base + peak > 0 else None
    return worst, worst_pct


def max_drawdown(equity: Sequence[float], times_ms: Sequence[int]) -> tuple[float, float]:
    """(baisse maximale depuis un sommet en %, négative ou 0 ; plus longue durée sous un sommet en secondes,
    du sommet au retour à son niveau ou à la fin de la courbe)."""
    values = np.asarray(equity, dtype=np.float64)
    if len(values) == 0:
        return 0.0, 0.0
    times = np.asarray(times_ms, dtype=np.int64)
    peaks = np.maximum.accumulate(values)
    drawdown = float(((values - peaks) / peaks).min() * 100)
    # Indice du dernier sommet atteint à chaque point : la durée sous l'eau se mesure depuis lui, jusqu'au point qui
    # le rattrape (comme backtesting.py) ou jusqu'à la fin.
    at_peak = values >= peaks
    last_peak = np.maximum.accumulate(np.where(at_peak, np.arange(len(values)), 0))
    underwater = times - times[last_peak]
    recovered = np.flatnonzero(at_peak[1:] & ~at_peak[:-1]) + 1
    if len(recovered):
        underwater = np.concatenate([underwater, times[recovered] - times[last_peak[recovered - 1]]])
    return drawdown, float(underwater.max() / 1000)


def daily_returns(equity: Sequence[float], times_ms: Sequence[int]) -> np.ndarray:
    """Rendements d'un jour UTC au suivant (valeur de fin de jour), le premier jour partant de la première valeur."""
    values = np.asarray(equity, dtype=np.float64)
    if len(values) == 0:
        return np.zeros(0)
    days = np.asarray(times_ms, dtype=np.int64) // DAY_MS
    last_of_day = np.flatnonzero(np.append(days[1:] != days[:-1], True))
    closes = np.concatenate([values[:1], values[last_of_day]])
    return closes[1:] / closes[:-1] - 1


def sharpe_ratio(returns: Sequence[float], *, periods: int = YEAR_DAYS) -> float | None:
    """Moyenne / écart-type (ddof 1) des rendements × √periods ; taux sans risque nul."""
    values = np.asarray(returns, dtype=np.float64)
    if len(values) < 2:
        return None
    deviation = values.std(ddof=1)
    return float(values.mean() / deviation * math.sqrt(periods)) if deviation > 0 else None


def sortino_ratio(returns: Sequence[float], *, periods: int = YEAR_DAYS) -> float | None:
    """Rendement moyen annualisé / risque de baisse annualisé (racine de la moyenne des min(r, 0)²)."""
    values = np.asarray(returns, dtype=np.float64)
    if len(values) < 2:
        return None
    downside = math.sqrt(np.mean(np.minimum(values, 0) ** 2)) * math.sqrt(periods)
    return float(values.mean() * periods / downside) if downside > 0 else None


def cagr(initial: float, final: float, seconds: float) -> float | None:
    """Croissance annuelle composée en %, sur `seconds` de données (None si elle dépasse les floats)."""
    if initial <= 0 or seconds <= 0 or final < 0:
        return None
    try:
        return ((final / initial) ** (YEAR_DAYS * 86_400 / seconds) - 1) * 100
    except OverflowError:
        return None


def curve_metrics(
    equity: Sequence[float], times_ms: Sequence[int], *, initial: float, final: float, bar_ms: int
) -> dict:
    """Baisse maximale (% et durée), Sharpe et Sortino quotidiens, CAGR (%) d'une courbe par bougie (valeur à
    chaque clôture), partie de `initial` à l'ouverture de la première bougie et finie à `final` ; CAGR None sous
    MIN_ANNUALISED_DAYS jours."""
    times = np.asarray(times_ms, dtype=np.int64)
    values = np.concatenate([[initial], np.asarray(equity, dtype=np.float64)])
    moments = np.concatenate([times[:1], times + bar_ms])
    drawdown, drawdown_seconds = max_drawdown(values, moments)
    returns = daily_returns(values, moments)
    span = (moments[-1] - moments[0]) / 1000
    return {
        "max_drawdown_pct": drawdown,
        "max_drawdown_duration_seconds": drawdown_seconds,
        "sharpe_ratio": sharpe_ratio(returns),
        "sortino_ratio": sortino_ratio(returns),
        "cagr_pct": cagr(initial, final, span) if span >= MIN_ANNUALISED_DAYS * 86_400 else None,
    }


def exposure(bars_in_position: int, bars: int) -> float | None:
    """Part des bougies clôturées en position, en %."""
    return bars_in_position / bars * 100 if bars else None


def total_return(initial: float, final: float) -> float | None:
    return (final / initial - 1) * 100 if initial > 0 else None
