"""Indicateurs techniques (`import aristobot.indicators as ta`), en numpy, conventions de TA-Lib.

Entrées : tableaux numpy, Series pandas ou listes ; sorties : tableaux float64 de la même longueur,
NaN pendant la mise en route (une comparaison avec NaN est fausse, jamais une erreur).
Chaque valeur ne dépend que des bougies jusqu'à elle (pas d'anticipation). Les indicateurs récursifs
(EMA, RSI, ATR, ADX, MACD) dépendent du point de départ : sur la fenêtre du direct (≥ 500 bougies) ils
rejoignent ceux du backtest à moins de 1e-6 près au-delà de quelques dizaines de périodes.
"""

import numpy as np
import pandas as pd

__all__ = [
    "sma",
    "ema",
    "wma",
    "rsi",
    "macd",
    "bollinger",
    "atr",
    "stochastic",
    "adx",
    "obv",
    "vwap",
    "roc",
    "cci",
    "crossed_above",
    "crossed_below",
]


def _series(values) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)


def _check_period(period) -> int:
    if not isinstance(period, (int, np.integer)) or isinstance(period, bool) or period < 1:
        raise ValueError(f"Période invalide : {period!r} (entier ≥ 1 attendu).")
    return int(period)


def _rolling_sum(x: np.ndarray, period: int) -> np.ndarray:
    out = np.full(x.shape, np.nan)
    if len(x) >= period:
        out[period - 1 :] = np.lib.stride_tricks.sliding_window_view(x, period).sum(axis=1)
    return out


def _recursive(x: np.ndarray, period: int, alpha: float) -> np.ndarray:
    """Moyenne récursive amorcée par la moyenne simple des `period` premières valeurs valides."""
    out = np.full(x.shape, np.nan)
    valid = np.flatnonzero(~np.isnan(x))
    if not len(valid) or len(x) - valid[0] < period:
        return out
    start = valid[0] + period - 1
    seeded = x[start:].copy()
    seeded[0] = x[valid[0] : start + 1].mean()
    out[start:] = pd.Series(seeded).ewm(alpha=alpha, adjust=False).mean().to_numpy()
    return out


def sma(values, period: int = 30) -> np.ndarray:
    """Moyenne mobile simple."""
    period = _check_period(period)
    return _rolling_sum(_series(values), period) / period


def ema(values, period: int = 30) -> np.ndarray:
    """Moyenne mobile exponentielle, k = 2 / (période + 1), amorcée par la SMA des premières valeurs (TA-Lib)."""
    period = _check_period(period)
    return _recursive(_series(values), period, 2.0 / (period + 1))


def wma(values, period: int = 30) -> np.ndarray:
    """Moyenne mobile pondérée linéairement (poids 1…période, le plus fort sur la dernière bougie)."""
    period = _check_period(period)
    x = _series(values)
    out = np.full(x.shape, np.nan)
    if len(x) >= period:
        weights = np.arange(1, period + 1, dtype=np.float64)
        out[period - 1 :] = np.lib.stride_tricks.sliding_window_view(x, period) @ weights / weights.sum()
    return out


def rsi(values, period: int = 14) -> np.ndarray:
    """RSI de Wilder (lissage 1 / période) ; premier point à l'indice `period`, 0 quand rien ne bouge (TA-Lib)."""
    period = _check_period(period)
    x = _series(values)
    change = np.diff(x, prepend=np.nan)
    gain = _recursive(np.where(change > 0, change, 0.0) + change * 0, period, 1.0 / period)
    loss = _recursive(np.where(change < 0, -change, 0.0) + change * 0, period, 1.0 / period)
    total = gain + loss
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 100.0 * gain / total, np.where(np.isnan(total), np.nan, 0.0))


def macd(values, fast: int = 12, slow: int = 26, signal: int = 9) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ligne, signal, histogramme). Comme TA-Lib, l'EMA rapide démarre avec la lente et les trois
    sorties commencent ensemble, à l'indice slow + signal - 2."""
    fast, slow, signal = _check_period(fast), _check_period(slow), _check_period(signal)
    if fast > slow:
        fast, slow = slow, fast
    x = _series(values)
    fast_line = np.full(x.shape, np.nan)
    fast_line[slow - fast :] = ema(x[slow - fast :], fast)
    line = fast_line - ema(x, slow)
    signal_line = ema(line, signal)
    line = np.where(np.isnan(signal_line), np.nan, line)
    return line, signal_line, line - signal_line


def bollinger(values, period: int = 20, deviations: float = 2.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(haute, milieu, basse) : SMA ± `deviations` écarts-types de population (ddof 0, TA-Lib)."""
    period = _check_period(period)
    x = _series(values)
    middle = sma(x, period)
    spread = np.full(x.shape, np.nan)
    if len(x) >= period:
        spread[period - 1 :] = np.lib.stride_tricks.sliding_window_view(x, period).std(axis=1)
    return middle + deviations * spread, middle, middle - deviations * spread


def _true_range(high, low, close) -> np.ndarray:
    high, low, close = _series(high), _series(low), _series(close)
    previous = np.concatenate(([np.nan], close[:-1]))
    ranges = np.vstack((high - low, np.abs(high - previous), np.abs(low - previous)))
    true_range = np.nanmax(ranges, axis=0)
    true_range[:1] = np.nan
    return true_range


def atr(high, low, close, period: int = 14) -> np.ndarray:
    """Average True Range de Wilder ; premier point à l'indice `period` (TA-Lib)."""
    period = _check_period(period)
    return _recursive(_true_range(high, low, close), period, 1.0 / period)


def stochastic(
    high, low, close, k_period: int = 5, k_smooth: int = 3, d_period: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """(%K lent, %D) : %K rapide sur `k_period`, lissé par SMA `k_smooth`, %D = SMA `d_period` (STOCH de TA-Lib)."""
    k_period = _check_period(k_period)
    high, low, close = _series(high), _series(low), _series(close)
    fast_k = np.full(close.shape, np.nan)
    if len(close) >= k_period:
        highest = np.lib.stride_tricks.sliding_window_view(high, k_period).max(axis=1)
        lowest = np.lib.stride_tricks.sliding_window_view(low, k_period).min(axis=1)
        width = highest - lowest
        with np.errstate(invalid="ignore", divide="ignore"):
            fast_k[k_period - 1 :] = np.where(width > 0, 100.0 * (close[k_period - 1 :] - lowest) / width, 0.0)
    slow_k = sma(fast_k, k_smooth)
    slow_d = sma(slow_k, d_period)
    return np.where(np.isnan(slow_d), np.nan, slow_k), slow_d


def _wilder_sum(x: np.ndarray, period: int) -> np.ndarray:
    """Somme lissée de Wilder (s = s - s / période + x), amorcée par la somme des période - 1 premières."""
    out = np.full(x.shape, np.nan)
    if len(x) <= period:
        return out
    alpha = 1.0 / period
    seeded = x[period - 1 :].copy()
    seeded[0] = np.nansum(x[1:period]) * alpha
    out[period - 1 :] = pd.Series(seeded).ewm(alpha=alpha, adjust=False).mean().to_numpy() / alpha
    out[period - 1] = np.nan
    return out


def adx(high, low, close, period: int = 14) -> np.ndarray:
    """ADX de Wilder ; premier point à l'indice 2 × période - 1 (TA-Lib)."""
    period = _check_period(period)
    high, low = _series(high), _series(low)
    up = np.diff(high, prepend=np.nan)
    down = -np.diff(low, prepend=np.nan)
    plus_dm = np.where((up > 0) & (up > down), up, 0.0)
    minus_dm = np.where((down > 0) & (down > up), down, 0.0)
    true_range = _wilder_sum(_true_range(high, low, close), period)
    with np.errstate(invalid="ignore", divide="ignore"):
        plus_di = np.where(true_range != 0, 100.0 * _wilder_sum(plus_dm, period) / true_range, 0.0)
        minus_di = np.where(true_range != 0, 100.0 * _wilder_sum(minus_dm, period) / true_range, 0.0)
        total = plus_di + minus_di
        dx = np.where(total != 0, 100.0 * np.abs(plus_di - minus_di) / total, 0.0)
    dx[:period] = np.nan
    return _recursive(dx, period, 1.0 / period)


def obv(close, volume) -> np.ndarray:
    """On-Balance Volume, commençant au volume de la première bougie (TA-Lib)."""
    close, volume = _series(close), _series(volume)
    direction = np.sign(np.diff(close, prepend=close[:1]))
    signed = direction * volume
    if len(signed):
        signed[0] = volume[0]
    return np.cumsum(signed)


def vwap(high, low, close, volume, period: int = 20) -> np.ndarray:
    """VWAP glissant : Σ(prix typique × volume) / Σ volume sur `period` bougies. Glissant plutôt que remis
    à zéro chaque jour, pour que la fenêtre du direct et le backtest donnent la même valeur ; NaN si volume nul."""
    period = _check_period(period)
    typical = (_series(high) + _series(low) + _series(close)) / 3.0
    volume = _series(volume)
    weighted = _rolling_sum(typical * volume, period)
    total = _rolling_sum(volume, period)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, weighted / total, np.nan)


def roc(values, period: int = 10) -> np.ndarray:
    """Rate of change en % : (prix / prix d'il y a `period` bougies - 1) × 100."""
    period = _check_period(period)
    x = _series(values)
    out = np.full(x.shape, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[period:] = (x[period:] / x[:-period] - 1.0) * 100.0
    return out


def cci(high, low, close, period: int = 14) -> np.ndarray:
    """Commodity Channel Index : (prix typique - SMA) / (0,015 × écart moyen absolu) ; 0 si l'écart est nul."""
    period = _check_period(period)
    typical = (_series(high) + _series(low) + _series(close)) / 3.0
    out = np.full(typical.shape, np.nan)
    if len(typical) >= period:
        windows = np.lib.stride_tricks.sliding_window_view(typical, period)
        mean = windows.mean(axis=1)
        deviation = np.abs(windows - mean[:, None]).mean(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[period - 1 :] = np.where(deviation > 0, (typical[period - 1 :] - mean) / (0.015 * deviation), 0.0)
    return out


def _pair(a, b) -> tuple[np.ndarray, np.ndarray]:
    a = _series(a)
    b = np.broadcast_to(_series(b), a.shape)
    return a, b


def crossed_above(a, b) -> np.ndarray:
    """Booléens : `a` passe au-dessus de `b` (série ou nombre) à cette bougie : a > b et, avant, a ≤ b."""
    a, b = _pair(a, b)
    out = np.zeros(a.shape, dtype=bool)
    out[1:] = (a[1:] > b[1:]) & (a[:-1] <= b[:-1])
    return out


def crossed_below(a, b) -> np.ndarray:
    """Booléens : `a` passe sous `b` à cette bougie : a < b et, avant, a ≥ b."""
    a, b = _pair(a, b)
    out = np.zeros(a.shape, dtype=bool)
    out[1:] = (a[1:] < b[1:]) & (a[:-1] >= b[:-1])
    return out
