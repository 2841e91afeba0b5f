"""La règle unique d'exécution d'un stop-loss / objectif dans une bougie (backtest, paper, surveillance)."""

from decimal import Decimal as D

from apps.core.fills import STOP_LOSS, TAKE_PROFIT, exit_in_candle


def test_nothing_crossed_is_no_exit():
    assert exit_in_candle(D(100), D(104), D(96), D(95), D(105)) is None
    assert exit_in_candle(D(100), D(200), D(1), None, None) is None


def test_the_stop_fills_at_its_price_or_at_an_open_already_below_it():
    assert exit_in_candle(D(100), D(101), D(94), D(95), None) == (STOP_LOSS, D(95))
    assert exit_in_candle(D(90), D(91), D(88), D(95), None) == (STOP_LOSS, D(90))


def test_the_target_fills_at_its_price_or_at_an_open_already_above_it():
    assert exit_in_candle(D(100), D(106), D(99), None, D(105)) == (TAKE_PROFIT, D(105))
    assert exit_in_candle(D(110), D(112), D(109), D(95), D(105)) == (TAKE_PROFIT, D(110))


def test_both_crossed_in_one_candle_takes_the_stop_first():
    assert exit_in_candle(D(100), D(120), D(80), D(95), D(105)) == (STOP_LOSS, D(95))


def test_floats_and_infinite_levels_work_for_the_backtest_loop():
    inf = float("inf")
    assert exit_in_candle(100.0, 101.0, 99.0, -inf, inf) is None
    assert exit_in_candle(100.0, 101.0, 94.0, 95.0, inf) == (STOP_LOSS, 95.0)
