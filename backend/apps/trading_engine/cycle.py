"""Le cycle des stratégies : à chaque vague de bougies clôturées, les activations concernées décident en
parallèle (runner des stratégies, délai par appel) et leurs décisions deviennent des ordres.

Pour chaque bougie (symbole, unité) de la vague et chaque activation en marche qui la suit :
1. bougie déjà décidée (vague rejouée, redémarrage) ou ancienne (rattrapage du heartbeat : clôturée depuis plus
   de STALE_AFTER à l'horloge du moteur, l'ordre partirait à un prix qui n'est plus celui de la décision) → rien ;
   les bougies de la vague attendues en base ;
2. préparer : le solde et la position de chaque activation (en quelques requêtes pour toute la vague), puis sa
   fenêtre des N dernières bougies (N = 500, ou le warmup s'il est plus grand ; trouée en mémoire, elle est relue de
   la base) ; un trou jusque dans la base → pas de décision, dit en rouge sur la carte et journalisé ;
3. décider : `decide` dans le runner, sur la dernière bougie de la fenêtre ;
4. agir : entrée → achat au marché avec stop-loss / take-profit, sortie → vente ; identifiant client
   `strategy-<activation>-<ouverture de la bougie en ms>`, prix de référence : la clôture de la bougie. Les envois
   d'abord : le suivi d'un ordre accusé attend que les autres de la vague soient partis (`sends.py`).
Chaque temps pour toutes les activations ensemble. Une erreur ou un délai dépassé est noté sur l'activation,
jamais propagé : les autres continuent.

Une fois par bougie : chaque décision est notée (`Decision`, prise avant le runner, finie avec son issue). Une
décision restée en cours (moteur tué pendant la vague, base perdue) est reprise par `catch_up` (au démarrage, puis
quelques secondes après une vague en échec) tant que sa bougie est fraîche : finie depuis l'ordre déjà parti s'il
existe, sinon décidée de nouveau ; une décision finie ne se refait jamais.
"""

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from apps.core.channels import ClosedCandle
from apps.strategies.runner.client import RunnerError
from apps.strategies.services.runners import async_runner_for, live_timeout_seconds
from apps.trading_engine.funds import WaveFunds
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.sends import SendsFirst, Ticket
from apps.trading_engine.services import decisions
from apps.trading_engine.services.activations import running_now
from apps.trading_engine.threads import EngineThreads
from apps.trading_engine.windows import DEFAULT_SIZE, CandleWindows, Window, latest_candles, wait_stored

logger = logging.getLogger("aristobot.engine")

STALE_AFTER = timedelta(minutes=2)


def latest_fresh_candles(fresh_after: datetime) -> list[ClosedCandle]:
    return latest_candles(set(running_now().values_list("symbol", "timeframe")), fresh_after)


def _running_for(keys: set[tuple[str, str]]) -> list[ActiveStrategy]:
    symbols = {symbol for symbol, _ in keys}
    found = running_now().filter(symbol__in=symbols).select_related("strategy", "version", "broker", "user")
    return [a for a in found if (a.symbol, a.timeframe) in keys]


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


async def _balances_read(balances: asyncio.Future | None) -> None:
    """Attend les soldes lus pendant la décision ; un broker illisible l'est de nouveau à l'achat."""
    if balances is None:
        return
    try:
        await balances
    except Exception:
        logger.exception("Soldes des brokers non lus d'avance")


@dataclass(eq=False)
class Turn:
    """Le tour d'une activation dans une vague."""

    activation: ActiveStrategy
    candle: ClosedCandle
    funds: WaveFunds
    window: Window | None = None
    context: decisions.Context | None = None
    decision: dict | None = None

    @property
    def at(self) -> datetime:
        return self.candle.open_time

    @property
    def key(self) -> tuple[int, datetime]:
        return self.activation.pk, self.candle.open_time

    @property
    def due(self) -> bool:
        """Bougie pas encore décidée (une vague rejouée ou un redémarrage ne redécide pas)."""
        last = self.activation.last_candle_at
        return last is None or last < self.candle.open_time

    @property
    def runner(self):
        return async_runner_for(self.activation.user_id)


class StrategyCycle:
    """`clock` : l'heure du marché (l'horloge murale ; un rejeu de bougies anciennes injecte la sienne)."""

    def __init__(self, *, windows: CandleWindows | None = None, clock: Callable[[], datetime] = timezone.now):
        self.clock = clock
        self.threads = EngineThreads()
        self.windows = windows or CandleWindows(self.threads)
        self._sizes: dict[str, int] = {}  # taille de fenêtre par code (warmup lu une fois par le runner)
        self._in_flight: set[tuple[int, datetime]] = set()  # (activation, bougie) en cours dans ce processus
        self.behind = False  # une décision n'a pas pu finir (base perdue…) : `catch_up` la reprendra

    def close(self) -> None:
        self.threads.close()

    async def on_wave(self, candles: list[ClosedCandle]) -> None:
        """Les quatre temps du docstring du module, chacun pour toutes les activations de la vague ensemble :
        1. écarter ce qui est déjà décidé ou ancien, 2. préparer, 3. décider (les appels d'un même utilisateur se
        suivent dans son runner, sans ordres en cours qui les ralentissent), 4. agir (ordres ensemble)."""
        for candle in candles:
            self.windows.add(candle)
        turns = await self._due_turns(candles)
        if not turns:
            return
        keys = {t.key for t in turns}
        self._in_flight |= keys
        try:
            await self._wave(turns)
        except Exception:
            self.behind = True
            raise
        finally:
            self._in_flight -= keys

    async def catch_up(self) -> None:
        """La dernière bougie fraîche (clôturée depuis moins de STALE_AFTER) de chaque (paire, unité) des activations
        en marche, si sa décision n'est pas finie : décidée maintenant, par le chemin d'une vague (comme une vague,
        une bougie plus ancienne n'est plus décidée)."""
        self.behind = False
        candles = await self.threads.run(latest_fresh_candles, self.clock() - STALE_AFTER)
        await self.on_wave(candles)

    async def _due_turns(self, candles: list[ClosedCandle]) -> list["Turn"]:
        """1. Les tours à jouer : bougie pas encore décidée, fraîche, et pas déjà en cours dans ce processus."""
        by_key = {(c.symbol, c.timeframe): c for c in candles}
        if not by_key:
            return []
        activations = await self.threads.run(_running_for, set(by_key))
        funds = WaveFunds()
        turns = [Turn(a, by_key[(a.symbol, a.timeframe)], funds) for a in activations]
        fresh_after = self.clock() - STALE_AFTER
        stale = sum(1 for t in turns if t.candle.close_time < fresh_after)
        if stale:
            logger.info("Bougies anciennes (rattrapage du heartbeat) : %d décision(s) non prise(s)", stale)
        return [t for t in turns if t.due and t.candle.close_time >= fresh_after and t.key not in self._in_flight]

    async def _wave(self, turns: list["Turn"]) -> None:
        turns = await self._claimed(turns)  # 1, fin
        if not turns:
            return
        balances = await self._read_contexts(turns)  # 2. préparer
        turns = await self._each(self._prepare, turns)
        turns = await self._each(self._decide, turns)  # 3. décider
        await _balances_read(balances)
        sends = SendsFirst(min(len(turns), self.threads.size))  # 4. agir, les envois d'abord
        await asyncio.gather(*(self._guarded(self._act, t, sends.ticket()) for t in turns))

    async def _claimed(self, turns: list["Turn"]) -> list["Turn"]:
        """1, fin : bougies de la vague attendues en base, décisions prises. Celle dont l'ordre est déjà parti est
        finie depuis lui ; une décision finie ne se refait pas. Rend les tours qui restent à décider."""
        await self.threads.run(
            wait_stored, list({(t.candle.symbol, t.candle.timeframe): t.candle for t in turns}.values())
        )
        claimed = await self.threads.run(decisions.claim, [(t.activation, t.at, _ms(t.at)) for t in turns])
        for turn in [t for t in turns if t.key in claimed.sent]:
            await self._guarded(self._finish_sent, turn, claimed.sent[turn.key])
        return [t for t in turns if t.key not in claimed.done and t.key not in claimed.sent]

    async def _read_contexts(self, turns: list["Turn"]) -> asyncio.Future | None:
        """2, début : solde et position de chaque activation, en quelques requêtes pour toute la vague. Les soldes des
        brokers où une activation peut entrer sont lus pendant la suite : rend cette lecture en cours (ou None)."""
        contexts = await self.threads.run(decisions.wave_contexts, [t.activation for t in turns])
        for turn in turns:
            turn.context = contexts[turn.activation.pk]
        entering = [t.activation.broker for t in turns if t.context.held is None]
        return asyncio.ensure_future(self.threads.run(turns[0].funds.load, entering)) if entering else None

    async def _each(self, step, turns: list["Turn"]) -> list["Turn"]:
        """Un temps pour tous les tours en parallèle ; rend ceux qui continuent (ni arrêtés, ni en erreur)."""
        return [t for t in await asyncio.gather(*(self._guarded(step, t) for t in turns)) if t is not None]

    async def _guarded(self, step, turn: "Turn", *args) -> "Turn | None":
        try:
            return await step(turn, *args)
        except RunnerError as error:
            await self.threads.run(
                decisions.record_error, turn.activation, candle_at=turn.at, message=_error_text(error)
            )
        except Exception:  # une activation en panne n'arrête ni le moteur ni les autres ; sa décision sera reprise
            self.behind = True
            logger.exception("Cycle de l'activation %s interrompu", turn.activation.pk)
        return None

    async def _finish_sent(self, turn: "Turn", trade) -> None:
        await self.threads.run(decisions.finish_sent, turn.activation, candle_at=turn.at, trade=trade)

    async def _prepare(self, turn: "Turn") -> "Turn | None":
        size = await self._size(turn.runner, turn.activation.version.code)
        turn.window = await self.windows.window(turn.candle, size)
        if turn.window.hole:  # trou jusque dans la base : en rouge sur la carte
            return await self._no_decision(turn, decisions.record_blocked, turn.window.hole)
        if turn.context.waiting:
            return await self._no_decision(turn, decisions.record_nothing, turn.context.waiting)
        return turn

    async def _no_decision(self, turn: "Turn", record, reason: str) -> None:
        await self.threads.run(record, turn.activation, candle_at=turn.at, message=f"Pas de décision : {reason}.")

    async def _decide(self, turn: "Turn") -> "Turn":
        context = turn.context
        turn.decision = await turn.runner.call(
            "decide",
            {"code": turn.activation.version.code, "balance": str(context.balance), "position": context.position},
            turn.window.arrays,
            timeout=live_timeout_seconds(),
        )
        return turn

    async def _act(self, turn: "Turn", ticket: Ticket) -> None:
        """Entrée, sortie ou rien ; le ticket est rendu quoi qu'il arrive (les autres n'attendent pas un ordre qui
        ne part pas)."""
        activation, context, action = turn.activation, turn.context, turn.decision["action"]
        moment = {"candle_at": turn.at, "candle_ms": _ms(turn.at), "price": turn.candle.close, "ticket": ticket}
        try:
            if action == "enter" and context.position is None:
                await self.threads.run(
                    decisions.enter,
                    activation,
                    decision=turn.decision,
                    balance=context.balance,
                    funds=turn.funds,
                    **moment,
                )
            elif action == "exit" and context.position is not None:
                await self.threads.run(decisions.leave, activation, opened=context.held, **moment)
            else:
                ticket.sent()
                await self.threads.run(decisions.record_nothing, activation, candle_at=turn.at, message="Rien à faire.")
        finally:
            ticket.sent()

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
