"""Code de stratégie commun aux tests, au bout en bout et aux bancs : le croisement de moyennes 10/30."""


def sma_cross(stop: str | None = "0.98", target: str | None = "1.03", *, warmup: int | None = None) -> str:
    """Croisement de moyennes 10/30 ; stop-loss à `stop` × prix, take-profit à `target` × prix (None : aucun)."""
    warmup_line = f"    warmup = {warmup}\n\n" if warmup else ""
    stop_value = f'self.price * Decimal("{stop}")' if stop else "None"
    target_value = f'self.price * Decimal("{target}")' if target else "None"
    return f"""from decimal import Decimal
from aristobot.strategies import Strategy
import aristobot.indicators as ta


class SmaCross(Strategy):
{warmup_line}    def indicators(self, candles):
        return {{"fast": ta.sma(candles["close"], 10), "slow": ta.sma(candles["close"], 30)}}

    def should_long(self):
        f, s = self.ind.fast, self.ind.slow
        return f[-1] > s[-1] and f[-2] <= s[-2]

    def should_exit(self):
        f, s = self.ind.fast, self.ind.slow
        return f[-1] < s[-1] and f[-2] >= s[-2]

    def calculate_stop_loss(self):
        return {stop_value}

    def calculate_take_profit(self):
        return {target_value}
"""


# Stop-loss −2 %, take-profit +3 % (les trades comparés à backtesting.py).
SMA_CROSS = sma_cross()

# Le même croisement, ralenti par une boucle à chaque bougie : environ 2,5 s pour les 865 bougies 5m partagées
# (progression et « Annuler » d'un backtest en cours).
SLOW_SMA_CROSS = """from aristobot.strategies import Strategy
import aristobot.indicators as ta


class Lente(Strategy):
    def indicators(self, candles):
        return {"fast": ta.sma(candles["close"], 10), "slow": ta.sma(candles["close"], 30)}

    def busy(self):
        total = 0
        for i in range(30000):
            total += i
        return total

    def should_long(self):
        self.busy()
        f, s = self.ind.fast, self.ind.slow
        return f[-1] > s[-1] and f[-2] <= s[-2]

    def should_exit(self):
        self.busy()
        f, s = self.ind.fast, self.ind.slow
        return f[-1] < s[-1] and f[-2] >= s[-2]
"""
