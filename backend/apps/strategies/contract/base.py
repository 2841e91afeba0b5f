"""La classe de base des stratégies (`from aristobot.strategies import Strategy`).

Le pilote (`runner/driver.py`) lie une instance à une bougie avant chaque appel ; les attributs
`candles`, `ind`, `price`, `balance`, `position` et `time` décrivent alors la bougie clôturée courante
et rien au-delà (pas d'anticipation).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np

__all__ = ["Strategy", "Position"]


@dataclass(frozen=True)
class Position:
    """Position ouverte : prix d'entrée, quantité (base), stop-loss et take-profit (ou None), ouverture (UTC)."""

    entry_price: Decimal
    quantity: Decimal
    stop_loss: Decimal | None
    take_profit: Decimal | None
    opened_at: datetime


class Indicators:
    """`self.ind.<nom>` : vue numpy de l'indicateur jusqu'à la bougie courante incluse (`[-1]` = courante).
    `Indicators.over(arrays)` crée la classe des indicateurs d'une série : une propriété par nom."""

    __slots__ = ("_arrays", "_end")

    def __init__(self, arrays: dict[str, np.ndarray]):
        self._arrays = arrays
        self._end = 0

    @classmethod
    def over(cls, arrays: dict[str, np.ndarray]) -> "Indicators":
        views = {name: property(lambda self, array=array: array[: self._end]) for name, array in arrays.items()}
        return type("Indicators", (cls,), {"__slots__": (), **views})(arrays)

    def __getattr__(self, name: str) -> np.ndarray:
        raise AttributeError(f"Indicateur inconnu : « {name} » (indicators() ne l'a pas rendu).")

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._arrays:
            self.__getattr__(name)
        return self._arrays[name][: self._end]

    def __contains__(self, name: str) -> bool:
        return name in self._arrays

    def names(self) -> list[str]:
        return list(self._arrays)


class Strategy:
    """Base des stratégies : toutes les méthodes ont un défaut, la sous-classe redéfinit ce qu'elle veut."""

    warmup = 2

    def __init__(self):
        self._bar = None
        # Un attribut plutôt qu'une propriété : lu à chaque bougie, le pilote le pose une fois.
        self.ind = Indicators({})

    # Ce que la stratégie redéfinit -------------------------------------------------------------
    def indicators(self, candles):
        """Indicateurs vectorisés : dict de tableaux (ou DataFrame) de la longueur de `candles`."""
        return {}

    def should_long(self) -> bool:
        return False

    def should_exit(self) -> bool:
        return False

    def should_short(self) -> bool:
        """Pour les futures : jamais suivie en spot (le « Tester » le signale si elle est redéfinie)."""
        return False

    def go_long(self):
        """Appelée quand should_long() vient de décider une entrée, avant le calcul de la taille."""

    def go_short(self):
        """Pour les futures : jamais appelée en spot."""

    def calculate_position_size(self):
        """Montant en devise de cotation à engager (Decimal) ; par défaut tout le solde."""
        return self.balance

    def calculate_stop_loss(self):
        """Prix absolu du stop-loss, ou None."""
        return None

    def calculate_take_profit(self):
        """Prix absolu du take-profit, ou None."""
        return None

    # L'état de la bougie courante (lecture seule) ---------------------------------------------
    @property
    def candles(self):
        return self._bar.candles()

    @property
    def price(self) -> Decimal:
        return self._bar.price()

    @property
    def balance(self) -> Decimal:
        return self._bar.balance

    @property
    def position(self) -> Position | None:
        return self._bar.position

    @property
    def time(self) -> datetime:
        return self._bar.time()


def utc_from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)
