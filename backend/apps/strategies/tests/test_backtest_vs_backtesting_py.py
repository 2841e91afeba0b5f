"""Mêmes trades que backtesting.py 0.6.6 (FractionalBacktest, trade_on_close=False, SL/TP en bracket) sur
les bougies LTC/BTC partagées, pour un croisement de SMA avec et sans stop-loss / take-profit."""

import warnings

import numpy as np
import pandas as pd
import pytest
from backtesting import Strategy as ReferenceStrategy
from backtesting.lib import FractionalBacktest

from apps.strategies.runner.simulation import trades_from_result
from testing import ltcbtc
from testing.strategy_code import sma_cross

FEE = 0.001
UNIT = 1e-8  # un satoshi de LTC : le pas de quantité des deux moteurs


def _sma(values, period):
    return pd.Series(values).rolling(period).mean().to_numpy()


class ReferenceSmaCross(ReferenceStrategy):
    stop = None
    target = None

    def init(self):
        self.fast = self.I(_sma, self.data.Close, 10)
        self.slow = self.I(_sma, self.data.Close, 30)
        self.signal_exit_bars = set()

    def next(self):
        f, s = self.fast, self.slow
        if not self.position:
            if f[-1] > s[-1] and f[-2] <= s[-2]:
                price = self.data.Close[-1]
                self.buy(sl=price * self.stop if self.stop else None, tp=price * self.target if self.target else None)
        elif f[-1] < s[-1] and f[-2] >= s[-2]:
            self.signal_exit_bars.add(len(self.data))
            self.position.close()


@pytest.fixture(scope="module")
def frame():
    raw = ltcbtc.frame("5m")
    index = pd.to_datetime(raw["open_time_ms"], unit="ms", utc=True).dt.tz_localize(None)
    return pd.DataFrame(
        {
            "Open": raw["open"].to_numpy(),
            "High": raw["high"].to_numpy(),
            "Low": raw["low"].to_numpy(),
            "Close": raw["close"].to_numpy(),
            "Volume": raw["volume"].to_numpy(),
        },
        index=index,
    ), raw


def reference_run(data: pd.DataFrame, stop, target):
    test = FractionalBacktest(
        data,
        ReferenceSmaCross,
        cash=1.0,
        commission=FEE,
        trade_on_close=False,
        fractional_unit=UNIT,
        finalize_trades=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stats = test.run(stop=stop, target=target)
    exits = stats["_strategy"].signal_exit_bars
    trades = []
    for row in stats["_trades"].itertuples():
        if row.ExitBar in exits and row.ExitPrice == data["Open"].iloc[row.ExitBar]:
            reason = "signal"
        elif not np.isnan(row.SL) and row.ExitPrice <= row.SL:
            reason = "stop_loss"
        else:
            reason = "take_profit"
        trades.append((row.EntryBar, row.EntryPrice, row.ExitBar, row.ExitPrice, reason, row.Size))
    return trades, stats["_equity_curve"]["Equity"].to_numpy()


@pytest.mark.parametrize("stop,target", [(None, None), (0.995, 1.006)], ids=["sans SL/TP", "SL 0,5 % TP 0,6 %"])
@pytest.mark.parametrize("step", [UNIT, None], ids=["pas 1e-8", "sans pas"])
def test_same_trades_as_backtesting_py(runner, frame, stop, target, step):
    data, raw = frame
    expected, expected_equity = reference_run(data, stop, target)
    code = sma_cross(stop and str(stop), target and str(target))
    candles = {
        "time": raw["open_time_ms"].to_numpy(np.int64),
        **{name: raw[name].to_numpy(np.float64) for name in ("open", "high", "low", "close", "volume")},
    }
    result = runner.call(
        "backtest", {"code": code, "initial_cash": 1.0, "fee": FEE, "quantity_step": step}, candles, timeout=60
    )
    ours = [t for t in trades_from_result(result) if t["exit_reason"] != "end"]
    assert len(expected) > 10 and len(ours) == len(expected)
    if stop:
        assert {t["exit_reason"] for t in ours} == {"signal", "stop_loss", "take_profit"}
    for mine, (entry_bar, entry_price, exit_bar, exit_price, reason, size) in zip(ours, expected):
        assert (mine["entry_index"], mine["exit_index"], mine["exit_reason"]) == (entry_bar, exit_bar, reason)
        assert mine["entry_price"] == pytest.approx(entry_price, rel=1e-9)
        assert mine["exit_price"] == pytest.approx(exit_price, rel=1e-9)
        assert mine["quantity"] == pytest.approx(size, rel=1e-9 if step else 1e-6)
    np.testing.assert_allclose(result["equity"], expected_equity, rtol=1e-6)
