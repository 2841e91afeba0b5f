"""Code de stratégie commun aux tests, au bout en bout et au banc du backtest."""

# Croisement de moyennes 10/30, stop-loss −2 %, take-profit +3 % (les trades comparés à backtesting.py).
SMA_CROSS = """from decimal import Decimal
from aristobot.strategies import Strategy
import aristobot.indicators as ta


class SmaCross(Strategy):
    def indicators(self, candles):
        return {"fast": ta.sma(candles["close"], 10), "slow": ta.sma(candles["close"], 30)}

    def should_long(self):
        f, s = self.ind.fast, self.ind.slow
        return f[-1] > s[-1] and f[-2] <= s[-2]

    def should_exit(self):
        f, s = self.ind.fast, self.ind.slow
        return f[-1] < s[-1] and f[-2] >= s[-2]

    def calculate_stop_loss(self):
        return self.price * Decimal("0.98")

    def calculate_take_profit(self):
        return self.price * Decimal("1.03")
"""
