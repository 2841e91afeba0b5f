"""Bougies générées (marche aléatoire reproductible) pour « Tester » sans bougies en base, et les
stratégies qui échauffent le runner avant son crochet d'audit."""

import numpy as np

from apps.strategies.contract.template import TEMPLATE_CODE

GENERATED_START_MS = 1_704_067_200_000  # 2024-01-01 00:00 UTC

_CANDLES_ONLY = """from aristobot.strategies import Strategy
import aristobot.indicators as ta
import math, statistics, datetime, decimal
import numpy as np
import pandas as pd


class Lente(Strategy):
    def should_long(self):
        closes = self.candles["close"]
        return len(closes) > 3 and closes.iloc[-1] > closes.rolling(3).mean().iloc[-1] and self.time.minute >= 0

    def should_exit(self):
        return bool(np.mean(self.candles["close"].to_numpy()[-3:]) > 0)
"""
WARMUP_CODES = (TEMPLATE_CODE, _CANDLES_ONLY)


def generated_candles(count: int, *, step_ms: int = 60_000, seed: int = 3) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0, 0.004, count)))
    open_ = np.concatenate(([100.0], close[:-1]))
    spread = np.abs(rng.normal(0, 0.002, count)) * close
    return {
        "time": GENERATED_START_MS + step_ms * np.arange(count, dtype=np.int64),
        "open": open_,
        "high": np.maximum(open_, close) + spread,
        "low": np.minimum(open_, close) - spread,
        "close": close,
        "volume": rng.uniform(1, 100, count),
    }
