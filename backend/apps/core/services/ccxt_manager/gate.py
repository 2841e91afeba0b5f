"""Le débit permis par chaque exchange, tenu par la porte sur chaque requête HTTP de ses instances : poids
utilisé, pause sur 429, bannissement (418) signalé une fois."""

import asyncio
import contextvars
import logging
import math
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from apps.core.exceptions import RateLimited

logger = logging.getLogger("aristobot.exchanges")

WEIGHT_MARGIN = Decimal("0.9")  # au-delà de 90 % du poids permis, la porte attend la fenêtre suivante
_WEIGHT_HEADER = re.compile(r"^x-mbx-used-weight-(\d+)([smhd])$", re.IGNORECASE)
_WEIGHT_LIMIT = re.compile(
    r'"rateLimitType"\s*:\s*"REQUEST_WEIGHT"\s*,\s*"interval"\s*:\s*"(\w+)"\s*,\s*"intervalNum"\s*:\s*(\d+)\s*,'
    r'\s*"limit"\s*:\s*(\d+)'
)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400}

# Statut HTTP de la dernière réponse REST, par tâche asyncio : une erreur 5xx après l'envoi rend l'issue incertaine.
HTTP_STATUS: contextvars.ContextVar[int | None] = contextvars.ContextVar("exchange_http_status", default=None)


class Gate:
    """Le débit permis par un exchange, partagé par toutes ses instances (la limite de Binance est par IP).

    Lit le poids utilisé (X-MBX-USED-WEIGHT-1M) et la limite annoncée (exchangeInfo) : au-delà de WEIGHT_MARGIN,
    les requêtes attendent la fenêtre suivante ; un 429 suspend les requêtes pendant son Retry-After ; un 418
    (bannissement) les refuse sans appel jusqu'à sa fin, avec une seule alerte."""

    def __init__(self, name: str, exchange_id: str, testnet: bool):
        self.name, self.exchange_id, self.testnet = name, exchange_id, testnet
        self.limits: dict[int, int] = {}  # fenêtre (s) → poids permis
        self.paused_until = 0.0  # time.time()
        self.banned_until = 0.0

    async def before(self) -> None:
        while True:  # une pause peut s'allonger pendant qu'on attend (un 429 arrivé entre temps)
            now = time.time()
            if now < self.banned_until:
                until = datetime.fromtimestamp(self.banned_until, UTC).strftime("%H:%M:%S")
                raise RateLimited(self.name, f"accès suspendu par l'exchange jusqu'à {until} UTC, aucun appel d'ici là")
            if now >= self.paused_until:
                return
            await asyncio.sleep(self.paused_until - now)

    def after(self, code: int, headers) -> None:
        now = time.time()
        retry_after = _number(headers.get("Retry-After"))
        if code == 418:
            ban = now + (retry_after or 300)
            if ban > self.banned_until + 1:
                logger.error("%s a banni cette IP (trop de requêtes) : aucun appel pendant %d s", self.name, ban - now)
                _announce_ban(self, datetime.fromtimestamp(ban, UTC))
            self.banned_until = max(self.banned_until, ban)
        elif code == 429:
            self.paused_until = max(self.paused_until, now + (retry_after if retry_after is not None else 1))
        for name, value in headers.items():
            match = _WEIGHT_HEADER.match(name)
            used = _number(value) if match else None
            if used is None:
                continue
            window = int(match.group(1)) * _SECONDS[match.group(2).lower()]
            limit = self.limits.get(window)
            if limit and used >= limit * WEIGHT_MARGIN:
                self.paused_until = max(self.paused_until, (now // window + 1) * window)
                logger.info("%s : poids %s/%s utilisé, attente de la fenêtre suivante", self.name, used, limit)

    def read_limits(self, body) -> None:
        """Les limites de poids annoncées par exchangeInfo (rateLimits REQUEST_WEIGHT), lues dans le corps brut."""
        for interval, count, limit in _WEIGHT_LIMIT.findall(body[:4000] if isinstance(body, str) else ""):
            self.limits[int(count) * _SECONDS.get(interval, 60)] = int(limit)


# Appelés (hors de la boucle de la porte, dans un fil) à chaque nouveau bannissement : l'app des alertes prévient.
_ban_listeners: list[Callable[[str, str, bool, datetime], None]] = []


def register_ban_listener(listener: Callable[[str, str, bool, datetime], None]) -> None:
    """`listener(exchange_id, nom, testnet, fin)` : un exchange refuse tout appel jusqu'à `fin` (418)."""
    if listener not in _ban_listeners:
        _ban_listeners.append(listener)


def _announce_ban(gate: Gate, until: datetime) -> None:
    def announce():
        for listener in _ban_listeners:
            try:
                listener(gate.exchange_id, gate.name, gate.testnet, until)
            except Exception:
                logger.exception("Bannissement de %s non signalé", gate.name)

    asyncio.get_running_loop().run_in_executor(None, announce)  # la base est synchrone


def _number(value) -> int | None:
    try:
        return math.ceil(float(value))
    except (TypeError, ValueError):
        return None


# Une porte par exchange (et par testnet) : vidée par close_all (arrêt du processus, fin d'un test).
GATES: dict[str, Gate] = {}


def watch(exchange) -> None:
    """Branche la porte sur chaque requête HTTP de l'instance : attente avant, statut et débit après."""
    testnet = "-testnet" if getattr(exchange, "isSandboxModeEnabled", False) else ""  # autres serveurs, autre limite
    gate = GATES.setdefault(exchange.id + testnet, Gate(exchange.name, exchange.id, bool(testnet)))
    fetch, on_rest_response = exchange.fetch, exchange.on_rest_response

    async def gated_fetch(*args, **kwargs):
        await gate.before()
        return await fetch(*args, **kwargs)

    def on_response(code, reason, url, method, headers, body, *rest):
        HTTP_STATUS.set(code)
        gate.after(code, headers or {})
        if url.endswith("/exchangeInfo"):
            gate.read_limits(body)
        return on_rest_response(code, reason, url, method, headers, body, *rest)

    exchange.fetch, exchange.on_rest_response = gated_fetch, on_response
