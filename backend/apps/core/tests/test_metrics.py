"""Statistiques : réponses connues faites à la main, et ratios comparés aux réponses d'empyrical-reloaded 0.7.1
(`sharpe_ratio(r, annualization=365)`, `sortino_ratio(r, annualization=365)`, `max_drawdown(r)` sur RETURNS,
calculées une fois et recopiées ici : le paquet n'est pas une dépendance, il exige peewee < 3.17.4, sans roue
Windows)."""

import numpy as np
import pytest

from apps.core import metrics

DAY = metrics.DAY_MS
HOUR = 3_600_000
RETURNS = [0.012, -0.008, 0.004, 0.021, -0.015, 0.0, 0.007, -0.022, 0.013, 0.009]
RETURNS += [-0.004, 0.018, -0.011, 0.005, -0.001, 0.016, -0.027, 0.01, 0.003, -0.006]
EMPYRICAL = {"sharpe": 1.7499101972718154, "sortino": 2.5044113824040646, "max_drawdown": -0.02992669000000009}


def test_trade_metrics_known_answers():
    stats = metrics.trade_metrics([100.0, -50.0, 25.0, -25.0, 0.0])
    assert (stats["total_trades"], stats["winning_trades"], stats["losing_trades"]) == (5, 2, 2)
    assert stats["win_rate"] == 40.0
    assert stats["profit_factor"] == pytest.approx(125 / 75)
    assert stats["expectancy"] == pytest.approx(10.0)
    assert (stats["avg_win"], stats["avg_loss"]) == (62.5, -37.5)
    assert (stats["best_trade"], stats["worst_trade"]) == (100.0, -50.0)


def test_trade_metrics_undefined_without_trades_or_losses():
    assert metrics.trade_metrics([])["win_rate"] is None
    only_wins = metrics.trade_metrics([10.0, 5.0])
    assert only_wins["profit_factor"] is None and only_wins["avg_loss"] is None and only_wins["win_rate"] == 100.0


def test_max_drawdown_depth_and_duration_known_answer():
    # 100 → 120 (sommet à 1 h) → 90 (-25 %) → 110 → 121 (nouveau sommet à 5 h) → 100
    equity = [100, 120, 90, 110, 121, 100]
    times = [i * HOUR for i in range(6)]
    drawdown, seconds = metrics.max_drawdown(equity, times)
    assert drawdown == pytest.approx(-25.0)
    assert seconds == 3 * 3600  # sous le sommet de 1 h jusqu'à 4 h


def test_max_drawdown_matches_empyrical():
    equity = np.concatenate([[1000.0], 1000 * np.cumprod(1 + np.array(RETURNS))])
    ours, _ = metrics.max_drawdown(equity, np.arange(len(equity)) * HOUR)
    assert ours / 100 == pytest.approx(EMPYRICAL["max_drawdown"], rel=1e-12)


def test_daily_returns_take_the_last_value_of_each_utc_day():
    times = [0, 12 * HOUR, DAY + HOUR, DAY + 20 * HOUR, 2 * DAY + 23 * HOUR]
    returns = metrics.daily_returns([100, 110, 99, 121, 133.1], times)
    assert returns == pytest.approx([0.10, 0.10, 0.10])


def test_sharpe_and_sortino_match_empyrical_on_daily_returns():
    assert metrics.sharpe_ratio(RETURNS) == pytest.approx(EMPYRICAL["sharpe"], rel=1e-12)
    assert metrics.sortino_ratio(RETURNS) == pytest.approx(EMPYRICAL["sortino"], rel=1e-12)


def test_ratios_undefined_on_too_few_or_flat_returns():
    assert metrics.sharpe_ratio([0.01]) is None
    assert metrics.sharpe_ratio([0.0, 0.0, 0.0]) is None
    assert metrics.sortino_ratio([0.01, 0.02]) is None  # aucune baisse


def test_cagr_exposure_and_return_known_answers():
    assert metrics.cagr(100, 121, 2 * 365 * 86_400) == pytest.approx(10.0)
    assert metrics.cagr(100, 200, 1) is None  # dépasse les floats
    assert metrics.exposure(25, 100) == 25.0 and metrics.exposure(0, 0) is None
    assert metrics.total_return(10_000, 10_500) == pytest.approx(5.0)


def test_curve_metrics_start_from_the_initial_amount():
    # Une seule bougie perdante : la baisse se mesure depuis le montant de départ, pas depuis la première clôture.
    stats = metrics.curve_metrics([90.0, 95.0], [0, HOUR], initial=100.0, final=95.0, bar_ms=HOUR)
    assert stats["max_drawdown_pct"] == pytest.approx(-10.0)
    assert stats["max_drawdown_duration_seconds"] == 2 * 3600
    assert stats["cagr_pct"] is None  # 2 h : pas de rendement annualisé


def test_cagr_is_given_from_30_days_of_data_only():
    day = 24 * HOUR
    short = metrics.curve_metrics([101.0] * 29, [i * day for i in range(29)], initial=100.0, final=101.0, bar_ms=day)
    month = metrics.curve_metrics([101.0] * 30, [i * day for i in range(30)], initial=100.0, final=101.0, bar_ms=day)
    assert short["cagr_pct"] is None
    assert month["cagr_pct"] == pytest.approx((1.01 ** (365 / 30) - 1) * 100)
