"""Le cœur du backtest : la boucle des bougies, exécutée dans le runner (pur, sans Django).

Règles (long seulement, spot), pour chaque bougie t :
1. les ordres décidés à la clôture de t-1 s'exécutent à l'ouverture de t : d'abord une sortie en attente
   (raison `signal`), puis une entrée, quantité = montant / (ouverture × (1 + frais)) arrondie vers le bas
   au pas de quantité s'il est connu ; stop-loss et take-profit = les prix rendus à la décision ;
2. en position, y compris sur la bougie d'entrée : bas ≤ stop → sortie à min(ouverture, stop), raison
   `stop_loss` ; sinon haut ≥ objectif → sortie à max(ouverture, objectif), raison `take_profit` ;
3. à la clôture de t : à plat (même juste après une sortie sur t) → should_long() décide une entrée pour
   l'ouverture suivante ; en position → should_exit() décide une sortie ;
4. frais sur le notionnel de chaque exécution ; les décisions de la clôture de la dernière bougie sont
   nulles ; une position encore ouverte après la dernière bougie est vendue à sa clôture, frais compris,
   raison `end` ;
5. valeur par bougie = liquidités + quantité × clôture (avant la vente de fin).
Les calculs sont en float64, comme backtesting.py ; la stratégie reçoit des Decimal.
"""
import math
import time
from dataclasses import asdict, dataclass
from decimal import Decimal

import numpy as np

from apps.strategies.contract.base import Position, utc_from_ms
from apps.strategies.runner.driver import StrategyDriver

DEFAULT_FEE = 0.001
PROGRESS_SECONDS = 0.25
_CHECK_EVERY = 512


@dataclass
class SimulatedTrade:
    entry_index: int
    entry_time: int
    entry_price: float
    exit_index: int
    exit_time: int
    exit_price: float
    exit_reason: str
    quantity: float
    fees: float
    pnl: float
    pnl_pct: float
    stop_loss: float | None
    take_profit: float | None


@dataclass
class SimulationResult:
    trades: list[SimulatedTrade]
    equity: np.ndarray
    final_cash: float
    bars: int
    cancelled: bool

    def as_dict(self) -> dict:
        return {"trades": [asdict(trade) for trade in self.trades], "final_cash": self.final_cash,
                "bars": self.bars, "cancelled": self.cancelled}


class _Open:
    """La position en cours : ses chiffres en float et la `Position` montrée à la stratégie."""

    __slots__ = ("index", "price", "quantity", "fee", "stop", "target", "view")

    def __init__(self, index, price, quantity, fee, stop, target, view):
        self.index, self.price, self.quantity, self.fee = index, price, quantity, fee
        self.stop, self.target, self.view = stop, target, view


def _quantity(amount: float, price: float, fee: float, step: float | None) -> float:
    if step:
        unit_cost = price * step
        return (amount // (unit_cost + unit_cost * fee)) * step
    return amount / (price * (1 + fee))


def simulate(driver: StrategyDriver, *, initial_cash: float, fee: float = DEFAULT_FEE,
             quantity_step: float | None = None, progress=None) -> SimulationResult:
    """Rejoue la stratégie du pilote sur toutes ses bougies. `progress(fraction) -> bool` est appelé au plus
    toutes les 0,25 s ; s'il rend vrai, la simulation s'arrête là (résultat partiel, `cancelled`).
    Lève StrategyCodeError à la première erreur du code utilisateur."""
    opens, highs, lows, closes = (a.tolist() for a in (driver.open, driver.high, driver.low, driver.close))
    times = driver.time.tolist()
    count = driver.length
    equity = np.empty(count)
    trades: list[SimulatedTrade] = []
    cash = float(initial_cash)
    position: _Open | None = None
    pending_entry = None
    pending_exit = False
    cancelled = False
    last_report = time.monotonic()
    decide = driver.decide

    def close(index: int, price: float, reason: str) -> None:
        nonlocal cash, position
        proceeds = position.quantity * price
        exit_fee = proceeds * fee
        cash += proceeds - exit_fee
        cost = position.quantity * position.price + position.fee
        pnl = proceeds - exit_fee - cost
        trades.append(SimulatedTrade(
            position.index, times[position.index], position.price, index, times[index], price, reason,
            position.quantity, position.fee + exit_fee, pnl, pnl / cost * 100.0 if cost else 0.0,
            position.stop, position.target))
        position = None

    processed = 0
    for i in range(count):
        price = opens[i]
        if pending_exit:
            close(i, price, "signal")
            pending_exit = False
        if pending_entry is not None:
            amount, stop, target = pending_entry
            pending_entry = None
            quantity = _quantity(min(amount, cash), price, fee, quantity_step)
            if quantity > 0:
                entry_fee = quantity * price * fee
                cash -= quantity * price + entry_fee
                view = Position(Decimal(repr(price)), Decimal(repr(quantity)),
                                None if stop is None else Decimal(repr(stop)),
                                None if target is None else Decimal(repr(target)), utc_from_ms(times[i]))
                position = _Open(i, price, quantity, entry_fee, stop, target, view)
        if position is not None:
            if position.stop is not None and lows[i] <= position.stop:
                close(i, min(price, position.stop), "stop_loss")
            elif position.target is not None and highs[i] >= position.target:
                close(i, max(price, position.target), "take_profit")
        equity[i] = cash if position is None else cash + position.quantity * closes[i]
        processed = i + 1
        if i < count - 1:
            decision = decide(i, balance=cash, position=None if position is None else position.view)
            if decision.action == "enter":
                pending_entry = (float(decision.amount), _float(decision.stop_loss), _float(decision.take_profit))
            elif decision.action == "exit":
                pending_exit = True
        if progress is not None and i % _CHECK_EVERY == 0 and time.monotonic() - last_report >= PROGRESS_SECONDS:
            last_report = time.monotonic()
            if progress(processed / count):
                cancelled = True
                break
    if position is not None:
        close(processed - 1, closes[processed - 1], "end")
    return SimulationResult(trades, equity[:processed], cash, processed, cancelled)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def fee_or_default(fee) -> float:
    value = DEFAULT_FEE if fee is None else float(fee)
    if not math.isfinite(value) or not 0 <= value < 0.1:
        raise ValueError(f"Frais invalides : {fee!r} (entre 0 et 0,1).")
    return value
