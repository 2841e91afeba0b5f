"""Un backtest sur des bougies données, dans un runner de stratégies : le même appel pour la page et la commande."""

from decimal import Decimal

from apps.backtest.services.results import BacktestOutcome, outcome_from
from apps.core.services.ccxt_manager import ccxt_manager
from apps.heartbeat.bars import TIMEFRAME_MS
from apps.strategies.runner.client import StrategyRunner
from apps.strategies.runner.simulation import DEFAULT_FEE

RUN_TIMEOUT_SECONDS = 3600.0


def market_terms(*, broker, symbol: str, fee: Decimal | None) -> tuple[float, float | None]:
    """(frais, pas de quantité) par la porte, comme en direct : les frais demandés, sinon la taxe taker du marché
    (0,1 % si l'exchange ne la donne pas). Lève ValidationError (paire inconnue) ou ExchangeError."""
    market = ccxt_manager.sync.market(broker, symbol)
    step = ccxt_manager.sync.amount_step(broker, symbol)
    if fee is None:
        fee = market.taker if market.taker is not None else Decimal(repr(DEFAULT_FEE))
    return float(fee), float(step) if step else None


def run_backtest(
    *,
    runner: StrategyRunner,
    code: str,
    candles: dict,
    timeframe: str,
    initial_amount: float,
    fee: float,
    quantity_step: float | None,
    on_progress=None,
    should_cancel=None,
) -> tuple[BacktestOutcome, bool]:
    """(résultat, interrompu ?) de la boucle entière exécutée dans `runner` ; lève les RunnerError du runner
    (StrategyFailed avec la ligne du code, CodeRefused, RunnerTimeout…)."""
    result = runner.call(
        "backtest",
        {"code": code, "initial_cash": initial_amount, "fee": fee, "quantity_step": quantity_step},
        candles,
        timeout=RUN_TIMEOUT_SECONDS,
        on_progress=on_progress,
        should_cancel=should_cancel,
    )
    outcome = outcome_from(result, candles, initial_amount=initial_amount, bar_ms=TIMEFRAME_MS[timeframe])
    return outcome, bool(result["cancelled"])
