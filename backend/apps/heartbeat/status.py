"""État du heartbeat tenu en mémoire, écrit dans HeartbeatStatus et publié à la barre de statut quand il change."""

import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from apps.core.channels import STATUS_GROUP, publish, status_event
from apps.core.outage import Outage
from apps.heartbeat.bars import MINUTE_MS, TIMEFRAMES, to_datetime
from apps.heartbeat.storage import persist_status

logger = logging.getLogger("aristobot.heartbeat")

MAX_GAPS = 100  # on garde les plus récents
# Pourquoi un trou reste : Binance n'a pas ces minutes, rattrapage REST impossible, plus vieux que le rattrapage.
MISSING, UNAVAILABLE, TOO_OLD = "missing", "unavailable", "too_old"


class StatusTracker:
    def __init__(self, *, clock: Callable[[], datetime] = timezone.now) -> None:
        self.clock = clock
        self.connected = False
        self.last_message_at: datetime | None = None
        self.last_candle_at: datetime | None = None
        self.symbols: list[str] = []
        self.gaps: dict[str, list[dict]] = {}  # par symbole depuis son dernier rattrapage : start_ms, end_ms, reason
        self.backfilling: set[str] = set()  # symboles dont un trou est en cours de rattrapage
        self.starting: set[str] = set()  # symboles qui n'ont pas encore reçu leur premier événement
        self.incoherent_since: datetime | None = None
        self.last_error = ""
        self.counters: Counter[str] = Counter()
        self._shown: dict | None = None
        self._published_at = datetime.min.replace(tzinfo=UTC)
        self._outage = Outage(logger, "État du heartbeat non écrit (base ou Redis injoignable)")

    @property
    def coherent(self) -> bool:
        """Pas de trou dans la série 1m depuis le démarrage ou le dernier rattrapage, ni de rattrapage en cours."""
        return not self.backfilling and not any(self.gaps.values())

    def add_gaps(self, symbol: str, gaps: list[tuple[int, int, str]], *, replace: bool) -> None:
        """Note les minutes manquantes [début, fin[ de `symbol` et leur raison, à la place des trous déjà notés
        ou en plus ; deux trous de même raison qui se touchent n'en font qu'un."""
        known = [] if replace else self.gaps.get(symbol, [])
        for start, end, reason in gaps:
            if end <= start:
                continue
            logger.warning(
                "Trou dans les 1m de %s : %d minute(s) à partir de %s",
                symbol,
                (end - start) // MINUTE_MS,
                to_datetime(start),
            )
            if known and known[-1]["end_ms"] == start and known[-1]["reason"] == reason:
                start = known.pop()["start_ms"]
            known.append({"symbol": symbol, "start_ms": start, "end_ms": end, "reason": reason})
        self.gaps[symbol] = known[-MAX_GAPS:]

    def gap_list(self) -> list[dict]:
        """Les trous, du plus ancien au plus récent : symbole, première et dernière minute manquantes, nombre,
        raison."""
        gaps = sorted(
            (gap for symbol_gaps in self.gaps.values() for gap in symbol_gaps), key=lambda gap: gap["start_ms"]
        )[-MAX_GAPS:]
        return [
            {
                "symbol": gap["symbol"],
                "start": to_datetime(gap["start_ms"]).isoformat(),
                "end": to_datetime(gap["end_ms"] - MINUTE_MS).isoformat(),
                "minutes": (gap["end_ms"] - gap["start_ms"]) // MINUTE_MS,
                "reason": gap["reason"],
            }
            for gap in gaps
        ]

    def error(self, message: str) -> None:
        self.last_error = message
        logger.error("Heartbeat : %s", message)

    async def flush(self) -> None:
        """Écrit l'état ; publie un événement `status` si ce que montre la barre a changé. Base ou Redis en
        panne : l'état sera écrit au prochain appel (panne journalisée une fois)."""
        try:
            await self._flush()
        except Exception as error:
            self._outage.failed(error)
        else:
            self._outage.recovered()

    async def _flush(self) -> None:
        coherent = self.coherent
        if coherent:
            self.incoherent_since = None
        elif self.incoherent_since is None:
            self.incoherent_since = self.clock()
        snapshot = await persist_status(
            {
                "connected": self.connected,
                "last_message_at": self.last_message_at,
                "last_candle_at": self.last_candle_at,
                "symbols": self.symbols,
                "timeframes": TIMEFRAMES,
                "coherent": coherent,
                "gaps": self.gap_list(),
                "incoherent_since": self.incoherent_since,
                "starting": sorted(self.starting),
                "backfilling": sorted(self.backfilling),
                "last_error": self.last_error,
                "counters": dict(self.counters),
            }
        )
        shown = {**snapshot, "heartbeat": {**snapshot["heartbeat"], "last_message_at": None, "active_for": None}}
        # « actif » a une durée de vie : republié avant qu'elle n'expire chez le navigateur.
        renew_after = timedelta(seconds=settings.HEARTBEAT_ACTIVE_SECONDS / 2)
        renew = shown["heartbeat"]["active"] and self.clock() - self._published_at >= renew_after
        if shown != self._shown or renew:
            await publish(STATUS_GROUP, status_event(snapshot))
            self._shown = shown
            self._published_at = self.clock()
