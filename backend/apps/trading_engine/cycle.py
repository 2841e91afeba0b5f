"""Le cycle des stratégies : à chaque vague de bougies clôturées, les activations concernées décident en
parallèle (runner des stratégies, délai par appel) et leurs décisions deviennent des ordres.

Pour chaque bougie (symbole, unité) de la vague et chaque activation en marche qui la suit :
1. bougie déjà décidée (vague rejouée, redémarrage) → rien ;
2. fenêtre des N dernières bougies (N = 500, ou le warmup s'il est plus grand) avec un trou → pas de décision,
   la raison est notée ;
3. `decide` dans le runner, sur la dernière bougie de la fenêtre, avec le solde et la position de l'activation ;
4. entrée → achat au marché avec stop-loss / take-profit, sortie → vente au marché ; identifiant client
   `strategy-<activation>-<ouverture de la bougie en ms>`.
Une erreur ou un délai dépassé est noté sur l'activation, jamais propagé : les autres continuent.
"""

import asyncio
import hashlib
import logging
from datetime import datetime

from apps.core.channels import ClosedCandle
from apps.strategies.runner.client import RunnerError
from apps.strategies.services.runners import async_runner_for, live_timeout_seconds
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.services import decisions
from apps.trading_engine.services.activations import running_now
from apps.trading_engine.threads import EngineThreads
from apps.trading_engine.windows import DEFAULT_SIZE, CandleWindows

logger = logging.getLogger("aristobot.engine")


def _running_for(keys: set[tuple[str, str]]) -> list[ActiveStrategy]:
    symbols = {symbol for symbol, _ in keys}
    found = running_now().filter(symbol__in=symbols).select_related("strategy", "broker", "user")
    return [a for a in found if (a.symbol, a.timeframe) in keys]


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class StrategyCycle:
    def __init__(self, *, windows: CandleWindows | None = None):
        self.threads = EngineThreads()
        self.windows = windows or CandleWindows(self.threads)
        self._sizes: dict[str, int] = {}  # taille de fenêtre par code (warmup lu une fois par le runner)

    def close(self) -> None:
        self.threads.close()

    async def on_wave(self, candles: list[ClosedCandle]) -> None:
        for candle in candles:
            self.windows.add(candle)
        by_key = {(c.symbol, c.timeframe): c for c in candles}
        if not by_key:
            return
        activations = await self.threads.run(_running_for, set(by_key))
        await asyncio.gather(*(self.run_one(a, by_key[(a.symbol, a.timeframe)]) for a in activations))

    async def run_one(self, activation: ActiveStrategy, candle: ClosedCandle) -> None:
        try:
            await self._run(activation, candle)
        except Exception:  # une activation en panne n'arrête ni le moteur ni les autres
            logger.exception("Cycle de l'activation %s interrompu", activation.pk)

    async def _run(self, activation: ActiveStrategy, candle: ClosedCandle) -> None:
        if activation.last_candle_at is not None and activation.last_candle_at >= candle.open_time:
            return
        at, candle_ms = candle.open_time, _ms(candle.open_time)
        code = activation.strategy.code
        runner = async_runner_for(activation.user_id)
        try:
            size = await self._size(runner, code)
            window = await self.windows.window(candle, size)
            if window.hole:
                await self.threads.run(
                    decisions.record_nothing, activation, candle_at=at, message=f"Pas de décision : {window.hole}."
                )
                return
            context = await self.threads.run(decisions.decision_context, activation)
            decision = await runner.call(
                "decide",
                {"code": code, "balance": str(context.balance), "position": context.position},
                window.arrays,
                timeout=live_timeout_seconds(),
            )
        except RunnerError as error:
            await self.threads.run(decisions.record_error, activation, candle_at=at, message=_error_text(error))
            return
        if decision["action"] == "enter" and context.position is None:
            await self.threads.run(
                decisions.enter,
                activation,
                candle_at=at,
                candle_ms=candle_ms,
                decision=decision,
                balance=context.balance,
            )
        elif decision["action"] == "exit" and context.position is not None:
            await self.threads.run(decisions.leave, activation, candle_at=at, candle_ms=candle_ms)
        else:
            await self.threads.run(decisions.record_nothing, activation, candle_at=at, message="Rien à faire.")

    async def _size(self, runner, code: str) -> int:
        key = hashlib.sha256(code.encode()).hexdigest()
        if key not in self._sizes:
            checked = await runner.call("check", {"code": code}, timeout=live_timeout_seconds())
            self._sizes[key] = max(DEFAULT_SIZE, int(checked.get("warmup") or 0))
        return self._sizes[key]


def _error_text(error: RunnerError) -> str:
    where = ", ".join(
        part
        for part in (
            getattr(error, "method", None),
            f"ligne {error.line}" if getattr(error, "line", None) else None,
        )
        if part
    )
    return f"Erreur de la stratégie{f' ({where})' if where else ''} : {error.message}"
