"""Le code d'une nouvelle stratégie (GET /api/strategies/template/) : le contrat, commenté en français."""

TEMPLATE_CODE = """from aristobot.strategies import Strategy
import aristobot.indicators as ta


class MaStrategie(Strategy):
    # Bougies clôturées nécessaires avant la première décision (ici la SMA lente).
    warmup = 30

    def indicators(self, candles):
        # Calculés une fois sur toutes les bougies (backtest) ou sur la fenêtre (direct).
        # candles : DataFrame open high low close volume, index UTC, la plus ancienne d'abord.
        return {
            "fast": ta.sma(candles["close"], 10),
            "slow": ta.sma(candles["close"], 30),
        }

    def should_long(self) -> bool:
        # À chaque bougie clôturée, sans position : faut-il acheter à l'ouverture suivante ?
        # self.ind.<nom>[-1] = valeur de la bougie courante, [-2] = la précédente.
        f, s = self.ind.fast, self.ind.slow
        return f[-1] > s[-1] and f[-2] <= s[-2]

    def should_exit(self) -> bool:
        # À chaque bougie clôturée, en position : faut-il vendre à l'ouverture suivante ?
        f, s = self.ind.fast, self.ind.slow
        return f[-1] < s[-1] and f[-2] >= s[-2]

    def calculate_position_size(self):
        # Montant en devise de cotation à engager (Decimal) ; self.balance = solde disponible.
        return self.balance

    def calculate_stop_loss(self):
        # Prix absolu du stop-loss, ou None. self.price = clôture courante (Decimal).
        return self.price * Decimal("0.98")

    def calculate_take_profit(self):
        # Prix absolu du take-profit, ou None.
        return self.price * Decimal("1.03")
"""
