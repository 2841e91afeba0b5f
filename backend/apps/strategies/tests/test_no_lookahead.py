"""self.ind et self.candles finissent à la bougie courante ; le direct décide sur la dernière de sa fenêtre."""

import pytest

from apps.strategies.runner.client import StrategyFailed
from apps.strategies.tests.conftest import rising_candles, strategy_code

SEES_ONLY_THE_PAST = strategy_code(
    """
    closes = self.ind.c
    if closes[-1] != float(self.price) or len(closes) != len(self.candles):
        raise ValueError("anticipation")
    if self.candles.index[-1] != self.time or self.candles["close"].iloc[-1] != closes[-1]:
        raise ValueError("anticipation")
    return False
""",
    extra='def indicators(self, candles):\n    return {"c": candles["close"]}',
)


def test_views_end_at_the_current_candle(runner, candles):
    assert runner.call("dry_run", {"code": SEES_ONLY_THE_PAST}, candles, timeout=5)["candles"] == 200


def test_reading_beyond_the_current_candle_fails(runner, candles):
    code = strategy_code(
        "return self.ind.c[len(self.candles)] > 0",
        extra='def indicators(self, candles):\n    return {"c": candles["close"]}',
    )
    with pytest.raises(StrategyFailed, match="IndexError"):
        runner.call("dry_run", {"code": code}, candles, timeout=5)


def test_live_decision_on_the_last_candle_of_the_window(runner):
    code = strategy_code(
        "return self.ind.c[-1] == 500.0",
        extra="""
        def indicators(self, candles):
            return {"c": candles["close"]}

        def calculate_position_size(self):
            return self.balance / 4

        def calculate_stop_loss(self):
            return self.price - 10

        def calculate_take_profit(self):
            return self.price * Decimal("1.5")

        def should_exit(self):
            return self.position.entry_price < self.price
        """,
    )
    window = rising_candles(50)
    decision = runner.call("decide", {"code": code, "balance": "1000"}, window, timeout=5)
    assert decision == {"action": "enter", "amount": "250", "stop_loss": "490.0", "take_profit": "750.00"}
    shorter = {name: values[:49] for name, values in window.items()}
    assert runner.call("decide", {"code": code, "balance": "1000"}, shorter, timeout=5)["action"] == "none"
    position = {
        "entry_price": "400",
        "quantity": "1",
        "stop_loss": None,
        "take_profit": None,
        "opened_at_ms": int(window["time"][40]),
    }
    assert (
        runner.call("decide", {"code": code, "balance": "0", "position": position}, window, timeout=5)["action"]
        == "exit"
    )


def test_no_decision_before_warmup(runner):
    code = strategy_code("return True", extra="warmup = 60")
    assert runner.call("decide", {"code": code, "balance": "1000"}, rising_candles(59), timeout=5)["action"] == "none"
    assert runner.call("decide", {"code": code, "balance": "1000"}, rising_candles(60), timeout=5)["action"] == "enter"


def test_tester_refuses_indicators_that_read_the_future(runner, candles):
    code = strategy_code(
        "return False",
        extra="""
        def indicators(self, candles):
            return {"next": candles["close"].shift(-1)}
        """,
    )
    with pytest.raises(StrategyFailed, match="indicators\\(\\) lit des bougies futures : « next » à la bougie 100"):
        runner.call("dry_run", {"code": code}, candles, timeout=5)
    normalised = strategy_code(
        "return False",
        extra="""
        def indicators(self, candles):
            return {"z": candles["close"] / candles["close"].max()}
        """,
    )
    with pytest.raises(StrategyFailed, match="bougies futures : « z » à la bougie 1 "):
        runner.call("dry_run", {"code": normalised}, candles, timeout=5)


def test_tester_calls_every_method_once(runner, candles):
    code = strategy_code(
        "return False",
        extra="""
        def should_exit(self):
            return self.position.quantity / 0
        """,
    )
    with pytest.raises(StrategyFailed, match="Erreur dans should_exit"):
        runner.call("dry_run", {"code": code}, candles, timeout=5)
    code = strategy_code(
        "return False",
        extra="""
        def calculate_take_profit(self):
            return self.price * Decimal("0.5")
        """,
    )
    with pytest.raises(StrategyFailed, match="Take-profit .* sous le prix"):
        runner.call("dry_run", {"code": code}, candles, timeout=5)


def test_the_base_of_a_view_is_refused(runner, candles):
    for reach in ("self.ind.c.base", "self.candles['close'].to_numpy().base", "getattr(self.ind.c, 'base')"):
        code = strategy_code(
            f"return {reach}[-1] > 0", extra='def indicators(self, candles):\n    return {"c": candles["close"]}'
        )
        with pytest.raises(StrategyFailed, match="bougies futures"):
            runner.call("dry_run", {"code": code}, candles, timeout=5)
