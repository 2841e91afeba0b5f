"""`from aristobot import utils` (importé par le template d'origine de l'utilisateur) : petites aides de calcul."""

from decimal import ROUND_DOWN, Decimal

__all__ = ["percent", "round_down"]


def percent(value, pct) -> Decimal:
    """`pct` % de `value`, en Decimal : percent(self.balance, 25)."""
    return Decimal(str(value)) * Decimal(str(pct)) / 100


def round_down(value, step) -> Decimal:
    """`value` arrondi vers le bas au multiple de `step` (pas de quantité d'un marché)."""
    step = Decimal(str(step))
    return (Decimal(str(value)) / step).to_integral_value(rounding=ROUND_DOWN) * step
