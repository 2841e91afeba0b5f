"""Du message brut à la bougie publiée : lecture, rattrapage des trous, agrégation, publication, enregistrement."""

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from itertools import groupby

from apps.core.channels import HEARTBEAT_GROUP, STREAM_GROUP, candles_event, is_redis_outage, publish, stream_event
from apps.core.outage import Outage
from apps.core.symbols import market_id
from apps.heartbeat.aggregation import Aggregator
from apps.heartbeat.bars import LONGEST_MS, MINUTE_MS, TIMEFRAME_MS, Bar, to_datetime
from apps.heartbeat.binance import (
    EXCHANGE,
    KlineEvent,
    MalformedMessage,
    OtherEvent,
    Reply,
    ServerShutdown,
    parse_message,
)
from apps.heartbeat.rest import BackfillError, RestKlines
from apps.heartbeat.status import MISSING, TOO_OLD, UNAVAILABLE, StatusTracker
from apps.heartbeat.storage import last_stored_minute
from apps.heartbeat.writer import CandleWriter

logger = logging.getLogger("aristobot.heartbeat")

MAX_CATCHUP_MS = 24 * 60 * MINUTE_MS  # au-delà, le trou reste noté : on ne remonte pas plus loin
# Quelques minutes absentes du REST de Binance sont des minutes sans échange : Binance fait ses bougies sans elles,
# nous aussi. Au-delà, ce sont des données perdues : aucune bougie qui les contiendrait n'est faite.
QUIET_MINUTES = 3
RAW_HOLD_MAX = 2000  # événements bruts gardés au plus pendant une rafale avant d'être publiés quand même


@dataclass
class SymbolState:
    symbol: str
    cursor: int | None = None  # ouverture de la prochaine 1m attendue ; None avant le premier événement
    # Fin de la minute du premier événement : une bougie finie avant ou avec elle sort du rattrapage initial
    # et peut déjà être en base (publiée par un processus précédent) ; une bougie plus tardive est neuve.
    horizon: int = 0
    aggregator: Aggregator = field(default_factory=Aggregator)


class Pipeline:
    """Traite les messages du flux par lots, dans l'ordre d'arrivée.

    Chaque symbole suit un curseur : la 1m suivante attendue. Une 1m en avance sur le curseur déclenche
    le rattrapage REST des minutes manquantes, une 1m en retard est un doublon ignoré : l'agrégateur
    voit donc chaque minute une seule fois, dans l'ordre, et la base refuse ce qu'elle a déjà.
    """

    def __init__(
        self,
        *,
        rest: RestKlines,
        status: StatusTracker,
        writer: CandleWriter,
        on_server_shutdown: Callable[[], Awaitable[None]],
    ):
        self.rest = rest
        self.status = status
        self.writer = writer
        self.on_server_shutdown = on_server_shutdown
        self.states: dict[str, SymbolState] = {}
        # Vagues que Redis a refusées : publiées à son retour, dans l'ordre, une seule fois.
        self.outbox: deque[dict] = deque()
        self._sending = asyncio.Lock()  # le lot en cours et le tour de chaque seconde ne publient pas ensemble
        self._redis = Outage(logger, "Redis injoignable, bougies clôturées gardées pour publication")
        self._raw: list[dict] = []  # flux brut pas encore publié : il attend la fin d'une rafale

    def set_symbols(self, symbols: list[str]) -> None:
        """Symboles suivis ; un symbole gardé conserve son curseur, un nouveau repart d'un bloc de 4 h."""
        self.states = {market_id(s): self.states.get(market_id(s)) or SymbolState(s) for s in symbols}
        self.status.symbols = list(symbols)
        self.status.starting = {state.symbol for state in self.states.values() if state.cursor is None}
        for symbol in list(self.status.gaps):
            if market_id(symbol) not in self.states:
                del self.status.gaps[symbol]

    async def handle(self, texts: list[str | bytes], *, more_waiting: Callable[[], bool] | None = None) -> None:
        """Traite un lot de messages : publie les bougies nouvelles, puis les événements bruts. Quand d'autres
        messages attendent à la fin du lot (`more_waiting()`), le flux brut, simple affichage, attend la fin de
        la rafale : les clôtures suivantes ne paient pas son envoi."""
        raw_events = self._raw
        replayed: list[Bar] = []
        fresh: list[Bar] = []
        for text in texts:
            self.status.counters["messages"] += 1
            try:
                message = parse_message(text)
            except MalformedMessage as exc:
                self.status.counters["malformed"] += 1
                logger.warning("Message illisible ignoré (%s) : %.200r", exc, text)
                continue
            if isinstance(message, KlineEvent):
                state = self.states.get(message.market_id)
                if state is None:
                    self.status.counters["ignored"] += 1
                    logger.debug("Événement d'un symbole non suivi ignoré : %s", message.market_id)
                    continue
                raw_events.append(message.raw)
                for bar in await self._advance(state, message):
                    (fresh if bar.close_time >= state.horizon else replayed).append(bar)
                self.status.starting.discard(state.symbol)
            elif isinstance(message, Reply):
                if message.error:
                    logger.warning("Binance refuse la demande %s : %s", message.request_id, message.error)
            elif isinstance(message, ServerShutdown):
                logger.info("Binance annonce l'arrêt du serveur : reconnexion")
                await self.on_server_shutdown()
            elif isinstance(message, OtherEvent):
                self.status.counters["ignored"] += 1
                logger.debug("Événement inattendu ignoré : %s", message.kind)
        await self._publish(replayed, fresh)
        if not raw_events or (more_waiting is not None and more_waiting() and len(raw_events) < RAW_HOLD_MAX):
            return
        self._raw = []
        if self.outbox:
            return
        try:
            await publish(STREAM_GROUP, stream_event(raw_events))
        except Exception as error:  # le flux brut n'est qu'un affichage : perdu sans dommage
            if not is_redis_outage(error):
                raise

    async def _advance(self, state: SymbolState, event: KlineEvent) -> list[Bar]:
        if state.cursor is None:
            state.cursor = await self._first_cursor(state.symbol, event.open_time)
            state.horizon = event.open_time + MINUTE_MS
        bars: list[Bar] = []
        if event.closed:
            if event.open_time < state.cursor:
                self.status.counters["duplicates"] += 1
                return bars
            if event.open_time > state.cursor:
                bars += await self._catch_up(state, event.open_time, event.open_time)
            bars += self._take(state, event.bar(state.symbol))
        elif event.open_time - MINUTE_MS > state.cursor:
            # La minute juste avant peut encore recevoir sa clôture : elle n'est pas encore un trou.
            bars += await self._catch_up(state, event.open_time, event.open_time - MINUTE_MS)
        return bars

    async def _first_cursor(self, symbol: str, open_time: int) -> int:
        """Début du rattrapage initial : après la dernière 1m en base, au plus 24 h, aligné sur un bloc de 4 h
        pour que chaque unité commence par une bougie entière."""
        try:
            last = await last_stored_minute(symbol)
        except Exception as exc:
            self.status.error(f"lecture de la dernière bougie de {symbol} impossible : {exc}")
            last = None
        start = open_time if last is None else max(last + MINUTE_MS, open_time - MAX_CATCHUP_MS)
        return min(start, open_time) - min(start, open_time) % LONGEST_MS

    async def _catch_up(self, state: SymbolState, until: int, certain_until: int) -> list[Bar]:
        """Rattrape par REST les 1m de [curseur, until[ ; celles d'avant `certain_until` qui manquent
        encore sont des trous. Un rattrapage réussi remplace les trous notés du symbole (cohérence
        « depuis le dernier rattrapage ») ; un rattrapage impossible les ajoute."""
        symbol = state.symbol
        gaps: list[tuple[int, int, str]] = []
        bars: list[Bar] = []
        oldest = until - MAX_CATCHUP_MS
        if state.cursor < oldest - oldest % LONGEST_MS:
            gaps.append((*self._lose(state, oldest - oldest % LONGEST_MS), TOO_OLD))
        self.status.backfilling.add(symbol)
        try:
            fetched = await self.rest.fetch(symbol, state.cursor, until)
        except BackfillError as exc:
            self.status.error(f"rattrapage de {symbol} impossible : {exc}")
            gaps.append((*self._lose(state, certain_until), UNAVAILABLE))
            self.status.add_gaps(symbol, gaps, replace=False)
            return bars
        finally:
            self.status.backfilling.discard(symbol)
        for bar in fetched:
            if bar.open_time < state.cursor:
                continue
            gaps += self._skip_to(state, bar.open_time)
            bars += self._take(state, bar)
        gaps += self._skip_to(state, certain_until)
        self.status.add_gaps(symbol, gaps, replace=True)
        self.status.counters["backfilled"] += len(fetched)
        if fetched:
            logger.info(
                "Rattrapage de %s : %d bougie(s) 1m à partir de %s",
                symbol,
                len(fetched),
                to_datetime(fetched[0].open_time),
            )
        return bars

    @classmethod
    def _skip_to(cls, state: SymbolState, at: int) -> list[tuple[int, int, str]]:
        """Avance le curseur jusqu'à `at` par-dessus des minutes absentes du REST ; retourne le trou (ou rien).
        Jusqu'à QUIET_MINUTES, des minutes sans échange (Binance fait ses bougies sans elles) ; au-delà, des
        données perdues : les bougies entamées sont abandonnées."""
        if at <= state.cursor:
            return []
        if at - state.cursor > QUIET_MINUTES * MINUTE_MS:
            return [(*cls._lose(state, at), MISSING)]
        gap = (state.cursor, at, MISSING)
        state.cursor = at
        return [gap]

    @staticmethod
    def _lose(state: SymbolState, resume_at: int) -> tuple[int, int]:
        """Minutes perdues pour de bon jusqu'à `resume_at` : les bougies entamées sont abandonnées.
        Retourne le trou."""
        gap = (state.cursor, resume_at)
        state.cursor = resume_at
        state.aggregator.restart(resume_at)
        return gap

    @staticmethod
    def _take(state: SymbolState, minute: Bar) -> list[Bar]:
        state.cursor = minute.open_time + MINUTE_MS
        return [minute, *state.aggregator.add(minute)]

    async def send_outbox(self) -> bool:
        """Publie les vagues en attente, la plus ancienne d'abord ; s'arrête à la première que Redis refuse.
        Retourne True si tout est parti."""
        async with self._sending:
            while self.outbox:
                try:
                    await publish(HEARTBEAT_GROUP, self.outbox[0])
                except Exception as error:
                    if not is_redis_outage(error):
                        raise
                    self._redis.failed(error)
                    return False
                self.outbox.popleft()
                self._redis.recovered()
            return True

    async def _publish(self, replayed: list[Bar], fresh: list[Bar]) -> None:
        """Publie chaque bougie une seule fois, vague par vague ; l'enregistrement suit, en tâche de fond.

        Une bougie neuve (le curseur et l'agrégateur ne la rendent qu'une fois) part sans attendre la base ;
        une bougie recalculée par le rattrapage initial attend que la base dise si elle y était déjà. Toutes
        sont enfilées avant d'être publiées : un arrêt pendant la publication ne perd pas leur enregistrement.
        """
        new = (await self.writer.store(replayed) if replayed else []) + fresh
        self.writer.add(fresh)
        if not new:
            return
        # Un message par vague, les bougies clôturées au même instant : les 1m de tous les symboles, puis les 3m...
        # L'ordre de chaque série est tenu, et une vague ne coûte qu'un envoi à l'abonné.
        new.sort(key=lambda bar: (bar.close_time, TIMEFRAME_MS[bar.timeframe]))
        for _, wave in groupby(new, key=lambda bar: bar.close_time):
            self.outbox.append(candles_event([bar.to_data(EXCHANGE) for bar in wave]))
        await self.send_outbox()
        minutes = [bar.close_time for bar in new if bar.timeframe == "1m"]
        if minutes:
            self.status.last_candle_at = to_datetime(max(minutes))
        self.status.counters["candles"] += len(new)
