"""Le pilote d'une stratégie sur une série de bougies : le même pour le direct et pour le backtest.

    driver = StrategyDriver(strategy_class, candles)     # indicators() une fois sur toute la série
    decision = driver.decide(i, balance=..., position=...)  # à la clôture de la bougie i

Le direct construit un pilote sur sa fenêtre et décide sur la dernière bougie ; le backtest en construit
un sur toute la plage et décide à chaque bougie. Ordre des appels à la clôture d'une bougie :
à plat, should_long() puis, si vrai, go_long(), calculate_position_size(), calculate_stop_loss(),
calculate_take_profit() ; en position, should_exit(). should_short() n'est jamais suivie (spot).
"""

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from apps.strategies.contract.base import Indicators, Position, Strategy, utc_from_ms
from apps.strategies.runner.errors import StrategyCodeError, from_exception

CANDLE_FIELDS = ("time", "open", "high", "low", "close", "volume")


@dataclass(frozen=True)
class Decision:
    """`enter` (montant en cotation, stop-loss, take-profit), `exit` ou `none`."""

    action: str
    amount: Decimal | None = None
    stop_loss: Decimal | None = None
    take_profit: Decimal | None = None

    def as_dict(self) -> dict:
        def text(v):
            return None if v is None else str(v)

        return {
            "action": self.action,
            "amount": text(self.amount),
            "stop_loss": text(self.stop_loss),
            "take_profit": text(self.take_profit),
        }


NOTHING = Decision("none")
EXIT = Decision("exit")


def to_decimal(value, *, what: str) -> Decimal:
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (bool, np.bool_)):
        raise StrategyCodeError(f"{what} doit rendre un nombre, pas un booléen.", method=what)
    elif isinstance(value, (int, np.integer)):
        result = Decimal(int(value))
    elif isinstance(value, (float, np.floating)):
        result = Decimal(repr(float(value)))
    else:
        try:
            result = Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise StrategyCodeError(f"{what} doit rendre un nombre (reçu : {value!r}).", method=what) from None
    if not result.is_finite():
        raise StrategyCodeError(f"{what} a rendu une valeur non finie ({value!r}).", method=what)
    return result


class _Bar:
    """L'état que lisent les attributs de la stratégie pour la bougie courante."""

    __slots__ = ("_driver", "i", "cash", "position")

    def __init__(self, driver: "StrategyDriver"):
        self._driver = driver
        self.i = 0
        self.cash = Decimal(0)
        self.position = None

    @property
    def balance(self) -> Decimal:
        cash = self.cash
        return cash if isinstance(cash, Decimal) else Decimal(repr(float(cash)))

    def candles(self) -> pd.DataFrame:
        return self._driver.frame().iloc[: self.i + 1]

    def price(self) -> Decimal:
        return Decimal(repr(float(self._driver.close[self.i])))

    def time(self):
        return utc_from_ms(int(self._driver.time[self.i]))


class StrategyDriver:
    def __init__(self, strategy_class: type, candles: dict[str, np.ndarray]):
        self.time = np.asarray(candles["time"], dtype=np.int64)
        self.open, self.high, self.low, self.close, self.volume = (
            np.asarray(candles[name], dtype=np.float64) for name in CANDLE_FIELDS[1:]
        )
        self.length = len(self.time)
        self._frame = None
        self.strategy = self.call("création de la classe", strategy_class)
        self.warmup = self._warmup(strategy_class)
        self.indicator_arrays = self._compute_indicators()
        self.indicators = Indicators.over(self.indicator_arrays)
        self._bar = _Bar(self)
        self.strategy._bar = self._bar
        self.strategy.ind = self.indicators
        self._first_decision = self.warmup - 1
        self._should_long, self._should_exit = self.strategy.should_long, self.strategy.should_exit

    def frame(self) -> pd.DataFrame:
        """Les bougies en DataFrame (colonnes open high low close volume, index UTC), construit au premier besoin."""
        if self._frame is None:
            index = pd.DatetimeIndex(pd.to_datetime(self.time, unit="ms", utc=True), name="time")
            self._frame = pd.DataFrame(
                {"open": self.open, "high": self.high, "low": self.low, "close": self.close, "volume": self.volume},
                index=index,
            )
        return self._frame

    def call(self, method: str, func, *args):
        """Appelle une méthode de l'utilisateur ; toute exception devient StrategyCodeError (avec sa ligne)."""
        try:
            return func(*args)
        except StrategyCodeError:
            raise
        except Exception as exc:
            raise from_exception(exc, method=method) from None

    @staticmethod
    def _warmup(strategy_class: type) -> int:
        warmup = getattr(strategy_class, "warmup", 2)
        if not isinstance(warmup, (int, np.integer)) or isinstance(warmup, bool) or warmup < 1:
            raise StrategyCodeError(f"warmup doit être un entier ≥ 1 (reçu : {warmup!r}).", method="warmup")
        return int(warmup)

    def _compute_indicators(self) -> dict[str, np.ndarray]:
        if type(self.strategy).indicators is Strategy.indicators:
            return {}
        self.strategy._bar = None
        result = self.call("indicators", self.strategy.indicators, self.frame())
        if result is None:
            return {}
        if isinstance(result, pd.DataFrame):
            result = {name: result[name] for name in result.columns}
        if not isinstance(result, dict):
            raise StrategyCodeError("indicators() doit rendre un dict de séries ou un DataFrame.", method="indicators")
        arrays = {}
        for name, values in result.items():
            if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
                raise StrategyCodeError(f"Nom d'indicateur invalide : {name!r}.", method="indicators")
            try:
                array = np.asarray(values, dtype=np.float64)
            except (TypeError, ValueError):
                raise StrategyCodeError(
                    f"L'indicateur « {name} » n'est pas une série de nombres.", method="indicators"
                ) from None
            if array.shape != (self.length,):
                raise StrategyCodeError(
                    f"L'indicateur « {name} » a {array.size} valeurs pour {self.length} bougies.", method="indicators"
                )
            array.flags.writeable = False
            arrays[name] = array
        return arrays

    def bind(self, i: int, *, balance, position: Position | None) -> None:
        bar = self._bar
        bar.i = i
        bar.cash = balance
        bar.position = position
        self.indicators._end = i + 1

    def decide(self, i: int, *, balance, position: Position | None) -> Decision:
        """La décision prise à la clôture de la bougie i (rien avant `warmup` bougies)."""
        return self.decide_at(i, balance, position)

    def decide_at(self, i: int, balance, position: Position | None) -> Decision:
        """`decide` à arguments positionnels, pour la boucle du backtest (appelée à chaque bougie)."""
        if i < self._first_decision:
            return NOTHING
        bar = self._bar
        bar.i = i
        bar.cash = balance
        bar.position = position
        self.indicators._end = i + 1
        try:
            wanted = self._should_long() if position is None else self._should_exit()
        except Exception as exc:
            raise from_exception(exc, method="should_long" if position is None else "should_exit") from None
        if position is not None:
            return EXIT if wanted else NOTHING
        if not wanted:
            return NOTHING
        self.call("go_long", self.strategy.go_long)
        return self.entry(bar.balance)

    def entry(self, balance: Decimal) -> Decision:
        """Taille, stop-loss et take-profit d'une entrée à la bougie liée, vérifiés."""
        strategy = self.strategy
        amount = to_decimal(
            self.call("calculate_position_size", strategy.calculate_position_size), what="calculate_position_size"
        )
        amount = min(amount, balance)
        if amount <= 0:
            return NOTHING
        price = float(self.close[self._bar.i])
        stop = self._level("calculate_stop_loss", strategy.calculate_stop_loss)
        target = self._level("calculate_take_profit", strategy.calculate_take_profit)
        if stop is not None and not float(stop) < price:
            raise StrategyCodeError(
                f"Stop-loss {stop} au-dessus du prix {price!r} : il doit être en dessous.", method="calculate_stop_loss"
            )
        if target is not None and not float(target) > price:
            raise StrategyCodeError(
                f"Take-profit {target} sous le prix {price!r} : il doit être au-dessus.", method="calculate_take_profit"
            )
        return Decision("enter", amount, stop, target)

    def _level(self, method: str, func) -> Decimal | None:
        value = self.call(method, func)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        level = to_decimal(value, what=method)
        if level <= 0:
            raise StrategyCodeError(f"{method} doit rendre un prix positif ou None (reçu : {level}).", method=method)
        return level
