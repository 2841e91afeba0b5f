"""Le cœur du backtest : la boucle des bougies, exécutée dans le runner (pur, sans Django).

Règles (long seulement, spot), pour chaque bougie t :
1. les ordres décidés à la clôture de t-1 s'exécutent à l'ouverture de t : d'abord une sortie en attente
   (raison `signal`), puis une entrée, quantité = montant / (ouverture × (1 + frais)) arrondie vers le bas
   au pas de quantité s'il est connu ; stop-loss et take-profit = les prix rendus à la décision ;
2. en position, y compris sur la bougie d'entrée : bas ≤ stop → sortie à min(ouverture, stop), raison
   `stop_loss` ; sinon haut ≥ objectif → sortie à max(ouverture, objectif), raison `take_profit`
   (apps.core.fills, la règle unique du paper et de la surveillance) ;
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
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import numpy as np

from apps.core.fills import exit_in_candle
from apps.strategies.contract.base import Position, utc_from_ms
from apps.strategies.runner.driver import EXIT, NOTHING, StrategyDriver

DEFAULT_FEE = 0.001
PROGRESS_SECONDS = 0.25
# Bougies par lot : au plus 64, et autant qu'en dure environ BATCH_SECONDS, mesuré sur le lot précédent (le premier
# n'en a qu'une) : progression et annulation suivent aussi une stratégie lente.
MAX_BATCH = 64
BATCH_SECONDS = 0.05


def next_batch_size(size: int, elapsed: float) -> int:
    """La taille du lot suivant, d'après la durée `elapsed` (secondes) du lot de `size` bougies."""
    if elapsed <= 0:
        return MAX_BATCH
    return max(1, min(MAX_BATCH, int(size * BATCH_SECONDS / elapsed)))


class SimulatedTrade(NamedTuple):
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

    def as_message(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(en-tête, tableaux) pour le canal du runner : la courbe et les trades en colonnes (`trade_<champ>`,
        raison en code, None en NaN) ; `trades_from_result` refait la liste côté appelant."""
        columns = {}
        for name, values in zip(TRADE_FIELDS, zip(*self.trades) if self.trades else [()] * len(TRADE_FIELDS)):
            if name == "exit_reason":
                columns[name] = np.array([EXIT_REASONS.index(v) for v in values], dtype=np.int64)
            elif name in _INT_FIELDS:
                columns[name] = np.array(values, dtype=np.int64)
            else:
                columns[name] = np.array([math.nan if v is None else v for v in values], dtype=np.float64)
        body = {"final_cash": self.final_cash, "bars": self.bars, "cancelled": self.cancelled}
        return body, {"equity": self.equity, **{f"trade_{name}": values for name, values in columns.items()}}


EXIT_REASONS = ("signal", "stop_loss", "take_profit", "end")
TRADE_FIELDS = SimulatedTrade._fields
_INT_FIELDS = {"entry_index", "entry_time", "exit_index", "exit_time"}


def trades_from_result(result: dict) -> list[dict]:
    """Les trades d'un résultat de la commande `backtest`, un dict par trade (None pour un niveau absent)."""
    columns = {name: result[f"trade_{name}"].tolist() for name in TRADE_FIELDS}
    columns["exit_reason"] = [EXIT_REASONS[code] for code in columns["exit_reason"]]
    for name in ("stop_loss", "take_profit"):
        columns[name] = [None if math.isnan(v) else v for v in columns[name]]
    return [dict(zip(TRADE_FIELDS, values)) for values in zip(*(columns[name] for name in TRADE_FIELDS))]


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


def simulate(
    driver: StrategyDriver,
    *,
    initial_cash: float,
    fee: float = DEFAULT_FEE,
    quantity_step: float | None = None,
    progress=None,
    should_stop=None,
) -> SimulationResult:
    """Rejoue la stratégie du pilote sur toutes ses bougies, par lots (`next_batch_size`). `progress(fraction) ->
    bool` est appelé après le premier lot (une bougie) puis au plus toutes les 0,25 s, `should_stop() -> bool` après
    chaque lot ; si l'un rend vrai, la simulation s'arrête là (résultat partiel, `cancelled`).
    Lève StrategyCodeError à la première erreur du code utilisateur."""
    opens, highs, lows, closes = (a.tolist() for a in (driver.open, driver.high, driver.low, driver.close))
    times = driver.time.tolist()
    count, last = driver.length, driver.length - 1
    equity: list[float] = []
    record = equity.append
    trades: list[SimulatedTrade] = []
    decide = driver.decide_at
    cash = float(initial_cash)
    position: _Open | None = None
    view = None  # la Position montrée à la stratégie, None à plat
    stop, target = -math.inf, math.inf  # sans stop ni objectif, les comparaisons sont toujours fausses
    pending = None  # EXIT ou la décision d'entrée prise à la clôture précédente
    cancelled = False
    last_report = -math.inf  # le premier lot de bougies est annoncé aussitôt : la progression bouge dès le début

    def close(index: int, price: float, reason: str) -> None:
        nonlocal cash, position, view
        proceeds = position.quantity * price
        exit_fee = proceeds * fee
        cash += proceeds - exit_fee
        cost = position.quantity * position.price + position.fee
        pnl = proceeds - exit_fee - cost
        trades.append(
            SimulatedTrade(
                position.index,
                times[position.index],
                position.price,
                index,
                times[index],
                price,
                reason,
                position.quantity,
                position.fee + exit_fee,
                pnl,
                pnl / cost * 100.0 if cost else 0.0,
                position.stop,
                position.target,
            )
        )
        position = view = None

    processed, size = 0, 1
    while processed < count:
        started = time.monotonic()
        for i in range(processed, min(processed + size, count)):
            if pending is not None:
                price = opens[i]
                if pending is EXIT:
                    close(i, price, "signal")
                else:
                    position = _enter(pending, i, price, cash, fee, quantity_step, times[i])
                    if position is not None:
                        cash -= position.quantity * price + position.fee
                        view = position.view
                        stop = -math.inf if position.stop is None else position.stop
                        target = math.inf if position.target is None else position.target
                pending = None
            if position is not None:
                hit = exit_in_candle(opens[i], highs[i], lows[i], stop, target)
                if hit is not None:
                    close(i, hit[1], hit[0])
            record(cash if position is None else cash + position.quantity * closes[i])
            if i != last:
                decision = decide(i, cash, view)
                if decision is not NOTHING:
                    pending = decision
        processed = min(processed + size, count)
        now = time.monotonic()
        size = next_batch_size(size, now - started)
        if progress is not None and now - last_report >= PROGRESS_SECONDS:
            last_report = now
            if progress(processed / count):
                cancelled = processed < count
                break
        if should_stop is not None and should_stop():
            cancelled = processed < count
            break
    if position is not None:
        close(processed - 1, closes[processed - 1], "end")
    return SimulationResult(trades, np.array(equity, dtype=np.float64), cash, processed, cancelled)


def _enter(decision, index: int, price: float, cash: float, fee: float, step: float | None, time_ms: int):
    """La position ouverte à l'ouverture `price` par une décision d'entrée, ou None (quantité nulle)."""
    quantity = _quantity(min(float(decision.amount), cash), price, fee, step)
    if quantity <= 0:
        return None
    stop, target = _float(decision.stop_loss), _float(decision.take_profit)
    view = Position(
        Decimal(repr(price)), Decimal(repr(quantity)), decision.stop_loss, decision.take_profit, utc_from_ms(time_ms)
    )
    return _Open(index, price, quantity, quantity * price * fee, stop, target, view)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def fee_or_default(fee) -> float:
    value = DEFAULT_FEE if fee is None else float(fee)
    if not math.isfinite(value) or not 0 <= value < 0.1:
        raise ValueError(f"Frais invalides : {fee!r} (entre 0 et 0,1).")
    return value
