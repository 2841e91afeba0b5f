"""La règle unique « cette bougie déclenche-t-elle le stop-loss ou l'objectif d'une position longue, et à quel
prix » : le backtest (runner/simulation.py), l'exchange paper (brokers/paper/ledger.py) et la surveillance par
Aristobot (orders/watch.py) l'appellent tous. Pur (ni Django, ni exchange, aucune autre app) : le runner
l'importe ; float ou Decimal.

- bas ≤ stop → sortie `stop_loss` au stop, ou à l'ouverture si elle l'a déjà franchi (écart d'ouverture) ;
- sinon haut ≥ objectif → sortie `take_profit` à l'objectif, ou à l'ouverture si elle est déjà au-dessus ;
- les deux dans la même bougie : le stop d'abord (l'ordre réel est inconnu, le pire est supposé).
"""

STOP_LOSS = "stop_loss"
TAKE_PROFIT = "take_profit"


def exit_in_candle(open_, high, low, stop, target):
    """(raison, prix de sortie) si la bougie franchit `stop` ou `target` (None : pas de niveau), sinon None."""
    if stop is not None and low <= stop:
        return STOP_LOSS, min(open_, stop)
    if target is not None and high >= target:
        return TAKE_PROFIT, max(open_, target)
    return None
