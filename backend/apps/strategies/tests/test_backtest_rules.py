"""Les règles du backtest, une à une, sur de petites séries de bougies faites à la main."""

import numpy as np
import pytest

from apps.strategies.runner.client import StrategyFailed
from apps.strategies.runner.simulation import trades_from_result
from apps.strategies.tests.conftest import strategy_code

FEE = 0.001


def bars(*ohlc) -> dict[str, np.ndarray]:
    """Bougies (ouverture, haut, bas, clôture), une par minute."""
    rows = np.array(ohlc, dtype=np.float64)
    return {
        "time": 1_704_067_200_000 + 60_000 * np.arange(len(rows), dtype=np.int64),
        "open": rows[:, 0],
        "high": rows[:, 1],
        "low": rows[:, 2],
        "close": rows[:, 3],
        "volume": np.ones(len(rows)),
    }


def scripted(entries, exits=(), *, stop=None, target=None, size=None) -> str:
    """Une stratégie qui entre à la clôture des bougies `entries` et sort à celles de `exits`."""
    return strategy_code(
        f"return int(self.ind.i[-1]) in {set(entries) or '()'}",
        extra=f"""
        def indicators(self, candles):
            return {{"i": np.arange(len(candles))}}

        def should_exit(self):
            return int(self.ind.i[-1]) in {set(exits) or "()"}

        def calculate_stop_loss(self):
            return {f'Decimal("{stop}")' if stop else None}

        def calculate_take_profit(self):
            return {f'Decimal("{target}")' if target else None}

        def calculate_position_size(self):
            return {f'Decimal("{size}")' if size else "self.balance"}
        """,
    )


def run(runner, code, candles, **args):
    result = runner.call("backtest", {"code": code, "initial_cash": 1000, "fee": FEE, **args}, candles, timeout=30)
    return {**result, "trades": trades_from_result(result)}


FLAT = [(100, 101, 99, 100)] * 2


def test_fill_at_next_open_with_fee(runner):
    candles = bars(*FLAT, (110, 112, 108, 111), (111, 113, 109, 112), (112, 114, 110, 113))
    result = run(runner, scripted({1}, {3}), candles)
    [trade] = result["trades"]
    quantity = 1000 / (110 * (1 + FEE))
    assert trade["entry_index"] == 2 and trade["entry_price"] == 110
    assert trade["quantity"] == pytest.approx(quantity, rel=1e-12)
    assert trade["exit_index"] == 4 and trade["exit_price"] == 112 and trade["exit_reason"] == "signal"
    entry_fee, exit_fee = quantity * 110 * FEE, quantity * 112 * FEE
    assert trade["fees"] == pytest.approx(entry_fee + exit_fee, rel=1e-12)
    assert trade["pnl"] == pytest.approx(quantity * 112 - exit_fee - 1000, rel=1e-12)
    assert trade["pnl_pct"] == pytest.approx(trade["pnl"] / 1000 * 100, rel=1e-12)
    # valeur par bougie = liquidités + quantité × clôture
    assert result["equity"].tolist()[:2] == [1000, 1000]
    assert result["equity"][2] == pytest.approx(quantity * 111, rel=1e-12)
    assert result["equity"][4] == pytest.approx(result["final_cash"], rel=1e-12)


def test_exit_before_entry_on_the_same_open(runner):
    candles = bars(*FLAT, (100, 101, 99, 100), (105, 106, 104, 105), (106, 107, 105, 106))
    result = run(runner, scripted({1, 2, 3}, {2}), candles)
    first, second = result["trades"]
    assert (first["entry_index"], first["exit_index"], first["exit_reason"]) == (2, 3, "signal")
    assert (second["entry_index"], second["entry_price"]) == (4, 106)


def test_gap_through_the_stop_exits_at_the_open(runner):
    candles = bars(*FLAT, (100, 101, 99.5, 100), (90, 92, 89, 91), (91, 92, 90, 91))
    [trade] = run(runner, scripted({1}, stop="98"), candles)["trades"]
    assert (trade["exit_index"], trade["exit_price"], trade["exit_reason"]) == (3, 90, "stop_loss")
    assert trade["stop_loss"] == 98


def test_stop_and_target_in_one_bar_stop_first(runner):
    candles = bars(*FLAT, (100, 101, 99.5, 100), (100, 110, 95, 105), (105, 106, 104, 105))
    [trade] = run(runner, scripted({1}, stop="98", target="103"), candles)["trades"]
    assert (trade["exit_index"], trade["exit_price"], trade["exit_reason"]) == (3, 98, "stop_loss")


def test_stop_first_even_when_the_bar_opens_above_the_target(runner):
    candles = bars(*FLAT, (100, 101, 99.5, 100), (104, 106, 97, 99), (99, 100, 98.5, 99))
    [trade] = run(runner, scripted({1}, stop="98", target="103"), candles)["trades"]
    assert (trade["exit_price"], trade["exit_reason"]) == (98, "stop_loss")


def test_target_gapped_over_exits_at_the_open(runner):
    candles = bars(*FLAT, (100, 101, 99.5, 100), (106, 107, 105, 106), (106, 107, 105, 106))
    [trade] = run(runner, scripted({1}, stop="98", target="103"), candles)["trades"]
    assert (trade["exit_index"], trade["exit_price"], trade["exit_reason"]) == (3, 106, "take_profit")
    candles = bars(*FLAT, (100, 101, 99.5, 100), (101, 104, 100, 102), (102, 103, 101, 102))
    [trade] = run(runner, scripted({1}, stop="98", target="103"), candles)["trades"]
    assert (trade["exit_price"], trade["exit_reason"]) == (103, "take_profit")


def test_exit_on_the_entry_bar(runner):
    candles = bars(*FLAT, (100, 100.5, 97, 99), (99, 100, 98.5, 99))
    [trade] = run(runner, scripted({1}, stop="98"), candles)["trades"]
    assert (trade["entry_index"], trade["exit_index"], trade["exit_price"]) == (2, 2, 98)


def test_reentry_decided_on_an_exit_bar(runner):
    candles = bars(*FLAT, (100, 101, 97, 99), (99, 100, 98.5, 99.5), (99.5, 100, 99, 99.5))
    first, second = run(runner, scripted({1, 2}, stop="98"), candles)["trades"]
    assert (first["exit_index"], first["exit_reason"]) == (2, "stop_loss")
    assert (second["entry_index"], second["entry_price"]) == (3, 99)


def test_end_of_data_sells_at_the_last_close(runner):
    candles = bars(*FLAT, (100, 101, 99, 100), (100, 103, 99, 102))
    result = run(runner, scripted({1}), candles)
    [trade] = result["trades"]
    assert (trade["exit_index"], trade["exit_price"], trade["exit_reason"]) == (3, 102, "end")
    quantity = trade["quantity"]
    assert result["equity"][-1] == pytest.approx(quantity * 102, rel=1e-12)
    assert result["final_cash"] == pytest.approx(quantity * 102 * (1 - FEE), rel=1e-12)


def test_decision_at_the_last_close_is_void(runner):
    candles = bars(*FLAT, (100, 101, 99, 100))
    result = run(runner, scripted({2}), candles)
    assert result["trades"] == [] and result["final_cash"] == 1000


def test_quantity_rounded_down_to_the_step_when_known(runner):
    candles = bars(*FLAT, (100, 101, 99, 100), (100, 101, 99, 100))
    [trade] = run(runner, scripted({1}, size="500"), candles, quantity_step="0.01")["trades"]
    assert trade["quantity"] == pytest.approx(4.99, abs=1e-12)
    [trade] = run(runner, scripted({1}, size="500"), candles)["trades"]
    assert trade["quantity"] == pytest.approx(500 / (100 * (1 + FEE)), rel=1e-12)


def test_size_larger_than_the_cash_is_capped(runner):
    candles = bars(*FLAT, (100, 101, 99, 100), (100, 101, 99, 100))
    [trade] = run(runner, scripted({1}, size="5000"), candles)["trades"]
    assert trade["quantity"] * 100 * (1 + FEE) == pytest.approx(1000, rel=1e-12)


def test_a_strategy_raising_mid_run_fails_with_its_line(runner):
    code = strategy_code(
        "return 1 / (int(self.ind.i[-1]) - 3) > 5",
        extra='def indicators(self, candles):\n    return {"i": np.arange(len(candles))}',
    )
    with pytest.raises(StrategyFailed) as caught:
        run(runner, code, bars(*[(100, 101, 99, 100)] * 6))
    assert (
        "ZeroDivisionError" in caught.value.message
        and caught.value.line == code.count("\n", 0, code.index("1 / (")) + 1
    )
    assert run(runner, scripted({1}), bars(*FLAT, *FLAT))["trades"]


def test_cancel_asked_after_the_first_progress_stops_with_a_partial_result(runner, candles):
    """Le délai entre « Annuler » et le résultat partiel se mesure par `bench/backtest_progress_bench.py`."""
    slow = strategy_code("return self.candles['close'].iloc[-3:].mean() < 0")
    count = 400_000
    many = {name: np.resize(values, count) for name, values in candles.items()}
    many["time"] = 1_704_067_200_000 + 60_000 * np.arange(count, dtype=np.int64)
    seen = []

    result = runner.call(
        "backtest",
        {"code": slow, "initial_cash": 1000},
        many,
        timeout=120,
        on_progress=seen.append,
        should_cancel=lambda: bool(seen),
    )
    assert result["cancelled"] is True and 0 < result["bars"] < count
    assert len(result["equity"]) == result["bars"] and 0 < seen[0] < 1
    assert runner.call("check", {"code": slow}, timeout=5)["class"] == "Essai"
