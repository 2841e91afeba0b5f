"""L'exécution à blanc du « Tester » : chaque méthode appelée, et indicators() vérifié sans anticipation."""

import time
from decimal import Decimal

import numpy as np

from apps.strategies.contract.base import Position, utc_from_ms
from apps.strategies.runner.driver import StrategyDriver
from apps.strategies.runner.errors import StrategyCodeError


def _check_no_lookahead(strategy_class: type, candles: dict, driver: StrategyDriver) -> None:
    """indicators() sur la première moitié des bougies doit redonner les mêmes valeurs que sur toutes."""
    arrays = driver.indicator_arrays
    if not arrays or driver.length < 4:
        return
    half = driver.length // 2
    prefix = StrategyDriver(strategy_class, {name: values[:half] for name, values in candles.items()})
    for name, values in arrays.items():
        expected = prefix.indicator_arrays[name]
        if not np.allclose(values[:half], expected, rtol=1e-9, atol=1e-12, equal_nan=True):
            at = int(np.flatnonzero(~np.isclose(values[:half], expected, rtol=1e-9, atol=1e-12, equal_nan=True))[0])
            raise StrategyCodeError(
                f"indicators() lit des bougies futures : « {name} » à la bougie {at + 1} change selon les bougies "
                "qui la suivent. Le backtest serait faux (utilisez des calculs qui ne regardent que le passé).",
                method="indicators",
            )


def _exercise(driver: StrategyDriver, balance: Decimal) -> None:
    """Sur la dernière bougie : les méthodes que la boucle n'aurait pas appelées, une fois chacune."""
    last = driver.length - 1
    strategy = driver.strategy
    driver.bind(last, balance=balance, position=None)
    for name in ("should_long", "go_long", "should_short", "go_short"):
        driver.call(name, getattr(strategy, name))
    driver.entry(balance)
    price = Decimal(repr(float(driver.close[last])))
    driver.bind(
        last, balance=Decimal(0), position=Position(price, Decimal(1), None, None, utc_from_ms(int(driver.time[last])))
    )
    driver.call("should_exit", strategy.should_exit)


def dry_run(strategy_class: type, candles: dict, *, balance: Decimal) -> dict:
    """Décisions sur toutes les bougies (entrées et sorties supposées faites à la clôture) ; rend
    {candles, warmup, decisions (bougies décidées, après warmup), signals, ms}. Lève StrategyCodeError à la
    première erreur."""
    started = time.perf_counter()
    driver = StrategyDriver(strategy_class, candles)
    position, signals = None, 0
    for i in range(driver.length):
        decision = driver.decide(i, balance=balance, position=position)
        if decision.action == "enter":
            price = Decimal(repr(float(driver.close[i])))
            position = Position(
                price,
                decision.amount / price,
                decision.stop_loss,
                decision.take_profit,
                utc_from_ms(int(driver.time[i])),
            )
            signals += 1
        elif decision.action == "exit":
            position = None
            signals += 1
    if driver.length >= driver.warmup:
        _exercise(driver, balance)
    _check_no_lookahead(strategy_class, candles, driver)
    return {
        "candles": driver.length,
        "warmup": driver.warmup,
        "decisions": max(0, driver.length - driver.warmup + 1),
        "signals": signals,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
