"""Chaque indicateur contre TA-Lib (référence indépendante, en C), VWAP contre pandas, croisements à la main."""

import numpy as np
import pandas as pd
import pytest
import talib

from apps.strategies.contract import indicators as ta
from testing import ltcbtc


@pytest.fixture(scope="module")
def ohlcv():
    frame = ltcbtc.frame("5m")
    return {name: frame[name].to_numpy(dtype=np.float64) for name in ("open", "high", "low", "close", "volume")}


def same(ours, reference, *, rtol=1e-9, atol=1e-12):
    ours, reference = np.asarray(ours), np.asarray(reference)
    assert np.array_equal(np.isnan(ours), np.isnan(reference)), "NaN de mise en route différents"
    np.testing.assert_allclose(ours, reference, rtol=rtol, atol=atol, equal_nan=True)


@pytest.mark.parametrize("name,reference", [("sma", talib.SMA), ("ema", talib.EMA), ("wma", talib.WMA)])
@pytest.mark.parametrize("period", [3, 10, 30])
def test_moving_averages(ohlcv, name, reference, period):
    same(getattr(ta, name)(ohlcv["close"], period), reference(ohlcv["close"], period))


def test_rsi(ohlcv):
    same(ta.rsi(ohlcv["close"], 14), talib.RSI(ohlcv["close"], 14))


def test_macd(ohlcv):
    for ours, reference in zip(ta.macd(ohlcv["close"]), talib.MACD(ohlcv["close"], 12, 26, 9)):
        same(ours, reference, rtol=1e-7, atol=1e-15)


def test_bollinger(ohlcv):
    for ours, reference in zip(ta.bollinger(ohlcv["close"], 20, 2), talib.BBANDS(ohlcv["close"], 20, 2, 2)):
        same(ours, reference)


def test_atr_adx_cci(ohlcv):
    h, l, c = ohlcv["high"], ohlcv["low"], ohlcv["close"]  # noqa: E741 (noms de TA-Lib)
    same(ta.atr(h, l, c, 14), talib.ATR(h, l, c, 14))
    same(ta.adx(h, l, c, 14), talib.ADX(h, l, c, 14))
    same(ta.cci(h, l, c, 14), talib.CCI(h, l, c, 14), rtol=1e-7)


def test_stochastic(ohlcv):
    k, d = ta.stochastic(ohlcv["high"], ohlcv["low"], ohlcv["close"])
    ref_k, ref_d = talib.STOCH(ohlcv["high"], ohlcv["low"], ohlcv["close"], 5, 3, 0, 3, 0)
    same(k, ref_k, atol=1e-9)
    same(d, ref_d, atol=1e-9)


def test_obv_roc(ohlcv):
    same(ta.obv(ohlcv["close"], ohlcv["volume"]), talib.OBV(ohlcv["close"], ohlcv["volume"]))
    same(ta.roc(ohlcv["close"], 10), talib.ROC(ohlcv["close"], 10))


def test_vwap_against_pandas(ohlcv):
    frame = pd.DataFrame(ohlcv)
    typical = (frame.high + frame.low + frame.close) / 3
    reference = (typical * frame.volume).rolling(20).sum() / frame.volume.rolling(20).sum()
    same(ta.vwap(frame.high, frame.low, frame.close, frame.volume, 20), reference.to_numpy())


def test_crossings_by_hand():
    a = [1, 2, 3, 2, 1, 2]
    b = [2, 2, 2, 2, 2, 2]
    assert ta.crossed_above(a, b).tolist() == [False, False, True, False, False, False]
    assert ta.crossed_below(a, b).tolist() == [False, False, False, False, True, False]
    assert ta.crossed_above(a, 1.5).tolist() == [False, True, False, False, False, True]


def test_series_input_and_warm_up_nan():
    values = pd.Series([1.0, 2.0, 3.0, 4.0])
    result = ta.sma(values, 3)
    assert np.isnan(result[:2]).all() and result[2:].tolist() == [2.0, 3.0]
    assert not (result[0] > 1)  # NaN : la comparaison est fausse, pas une erreur


def test_bad_period_is_refused_in_french():
    with pytest.raises(ValueError, match="Période invalide"):
        ta.sma([1.0, 2.0], 0)
