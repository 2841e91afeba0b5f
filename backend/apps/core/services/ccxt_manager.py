"""La porte des exchanges : le seul endroit qui crée des instances CCXT (et l'exchange paper).

Une instance par (user_id, broker_id), `load_markets()` une fois, réutilisée par tous les appelants
du processus. Toutes vivent dans une boucle asyncio dédiée (fil « exchange-door ») : les vues
synchrones (`ccxt_manager.sync.balances(broker)`), le moteur asynchrone (`await ccxt_manager.balances(broker)`)
et les chargements de fond partagent ainsi les mêmes instances. Méthodes typées : les réponses sont des
structures du projet en Decimal (apps.core.services.exchange_data). Les erreurs CCXT sortent d'ici traduites
(apps.core.exceptions) ; les lectures sont réessayées sur limite de débit et erreur réseau. Les exchanges
qui ne sont pas CCXT (l'exchange paper) s'enregistrent ici depuis leur app (`register_exchange`).
"""

import asyncio
import atexit
import concurrent.futures
import contextlib
import contextvars
import functools
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from urllib.parse import urlsplit

import ccxt
import ccxt.async_support as ccxt_async
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections

from apps.core.channels import BROKER_AUTH_FAILED, client_event, publish_sync, user_group
from apps.core.encryption import is_unreadable
from apps.core.exceptions import (
    AlgoOrdersLimit,
    AuthenticationFailed,
    ExchangeError,
    ExchangeTimeout,
    NotSupported,
    OrderRejected,
    OutcomeUnknown,
    RateLimited,
    SandboxUnavailable,
    translate,
)
from apps.core.services import exchange_clock
from apps.core.services.exchange_data import (
    Balance,
    Fill,
    Market,
    Ohlcv,
    Order,
    Ticker,
    balances_from,
    fill_from,
    market_from,
    ohlcv_from,
    order_from,
    ticker_from,
    to_decimal,
)
from apps.core.symbols import find_market

logger = logging.getLogger("aristobot.exchanges")

# Exchanges qui filtrent fetch_my_trades par ordre (Binance refuse orderId avec startTime) ; les autres : since.
FILLS_BY_ORDER_ID = frozenset({"binance", "binanceus", "paper"})
OHLCV_PAGE = 1000  # bougies par requête d'historique (le maximum de Binance)
# Exchanges dont la porte sait poser un OCO spot (Binance : POST /api/v3/orderList/oco, route brute de CCXT).
OCO_EXCHANGES = frozenset({"binance", "binanceus", "paper"})
# Exchanges qui comptent leur limite en poids par minute (Binance : 6000/min) : limiteur de CCXT en fenêtre
# glissante d'une minute, qui laisse passer ensemble les ordres d'une vague (le seau par défaut les espace de 50 ms).
ROLLING_WINDOW_LIMITS = frozenset({"binance", "binanceus"})
# Ordres « algo » de Binance (stop-loss et take-profit), limités par paire (filtre MAX_NUM_ALGO_ORDERS).
ALGO_TYPES = frozenset({"STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"})
CLOCK_SYNC_SECONDS = 3600  # écart d'horloge avec l'exchange remesuré chaque heure (et sur -1021)
WEIGHT_MARGIN = Decimal("0.9")  # au-delà de 90 % du poids permis, la porte attend la fenêtre suivante
_WEIGHT_HEADER = re.compile(r"^x-mbx-used-weight-(\d+)([smhd])$", re.IGNORECASE)
_WEIGHT_LIMIT = re.compile(
    r'"rateLimitType"\s*:\s*"REQUEST_WEIGHT"\s*,\s*"interval"\s*:\s*"(\w+)"\s*,\s*"intervalNum"\s*:\s*(\d+)\s*,'
    r'\s*"limit"\s*:\s*(\d+)'
)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400}
# Identifiants des champs du formulaire pour les identifiants que CCXT peut demander.
CREDENTIAL_FIELDS = {"apiKey": "api_key", "secret": "api_secret", "password": "api_password"}


@dataclass(frozen=True)
class _Factory:
    name: str
    create: Callable[[object], object]


_FACTORIES: dict[str, _Factory] = {}


def register_exchange(exchange_id: str, *, name: str, create: Callable[[object], object]) -> None:
    """Déclare un exchange hors CCXT (même interface asynchrone) : `create(broker)` fabrique son instance."""
    _FACTORIES[exchange_id] = _Factory(name=name, create=create)
    exchange_profile.cache_clear()


@functools.cache
def exchange_profile(exchange_id: str) -> dict | None:
    """{"id", "name", "has_sandbox", "credentials"} d'un exchange CCXT ou enregistré ; None si inconnu."""
    if exchange_id in _FACTORIES:
        return {
            "id": exchange_id,
            "name": _FACTORIES[exchange_id].name,
            "has_sandbox": True,
            "credentials": [],
            "unsupported_credentials": [],
        }
    if exchange_id not in ccxt_async.exchanges:
        return None
    # Instance de description seulement : jamais connectée, jamais chargée.
    described = getattr(ccxt_async, exchange_id)()
    required = [name for name, needed in described.requiredCredentials.items() if needed]
    return {
        "id": exchange_id,
        "name": described.name,
        "has_sandbox": bool(described.urls.get("test")),
        "credentials": [CREDENTIAL_FIELDS[n] for n in required if n in CREDENTIAL_FIELDS],
        "unsupported_credentials": [n for n in required if n not in CREDENTIAL_FIELDS],
    }


def exchange_ids() -> list[str]:
    return [*_FACTORIES, *ccxt_async.exchanges]


def _rehost(urls, base: str):
    """Remplace schéma et hôte de chaque URL de `urls` (texte ou dictionnaire imbriqué) par ceux de `base`."""
    if isinstance(urls, dict):
        return {key: _rehost(value, base) for key, value in urls.items()}
    if isinstance(urls, str) and urls.startswith("http"):
        parts = urlsplit(urls)
        return base.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")
    return urls


# Statut HTTP de la dernière réponse REST, par tâche asyncio : une erreur 5xx après l'envoi rend l'issue incertaine.
_HTTP_STATUS: contextvars.ContextVar[int | None] = contextvars.ContextVar("exchange_http_status", default=None)


class _Gate:
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


def _announce_ban(gate: _Gate, until: datetime) -> None:
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


_GATES: dict[str, _Gate] = {}


def _watch(exchange) -> None:
    """Branche la porte sur chaque requête HTTP de l'instance : attente avant, statut et débit après."""
    testnet = "-testnet" if getattr(exchange, "isSandboxModeEnabled", False) else ""  # autres serveurs, autre limite
    gate = _GATES.setdefault(exchange.id + testnet, _Gate(exchange.name, exchange.id, bool(testnet)))
    fetch, on_rest_response = exchange.fetch, exchange.on_rest_response

    async def gated_fetch(*args, **kwargs):
        await gate.before()
        return await fetch(*args, **kwargs)

    def on_response(code, reason, url, method, headers, body, *rest):
        _HTTP_STATUS.set(code)
        gate.after(code, headers or {})
        if url.endswith("/exchangeInfo"):
            gate.read_limits(body)
        return on_rest_response(code, reason, url, method, headers, body, *rest)

    exchange.fetch, exchange.on_rest_response = gated_fetch, on_response


def _secrets(broker) -> tuple[str, ...]:
    return (broker.api_key, broker.api_secret, broker.api_password)


def _new_instance(broker):
    """Crée l'instance d'un broker (enregistré ou non) ; ne touche pas au réseau."""
    if broker.exchange in _FACTORIES:
        return _FACTORIES[broker.exchange].create(broker)
    profile = exchange_profile(broker.exchange)
    if profile is None:
        raise ExchangeError(broker.exchange, "exchange inconnu de CCXT")
    if any(is_unreadable(secret) for secret in _secrets(broker)):
        raise AuthenticationFailed(
            profile["name"], "identifiants illisibles (la clé de chiffrement a changé), à ressaisir dans Mon compte"
        )
    exchange = getattr(ccxt_async, broker.exchange)(
        {
            "apiKey": broker.api_key,
            "secret": broker.api_secret,
            "password": broker.api_password,
            "enableRateLimit": True,
            "timeout": settings.CCXT_TIMEOUT_MS,
            **({"rateLimiterAlgorithm": "rollingWindow"} if broker.exchange in ROLLING_WINDOW_LIMITS else {}),
        }
    )
    if broker.is_testnet:
        if not profile["has_sandbox"]:
            raise SandboxUnavailable(profile["name"], "CCXT ne connaît pas de testnet (sandbox) pour cet exchange")
        exchange.set_sandbox_mode(True)
    fetch_markets = exchange.options.get("fetchMarkets")
    if isinstance(fetch_markets, dict) and "types" in fetch_markets:
        exchange.options["fetchMarkets"] = {**fetch_markets, "types": ["spot"]}  # ce bot trade le spot
    override = settings.EXCHANGE_API_URLS.get(broker.exchange)
    if override:
        exchange.urls["api"] = _rehost(exchange.urls["api"], override)
    _watch(exchange)
    return exchange


def retrier(method):
    """Réessaie une lecture sur erreur réessayable (limite de débit, réseau), avec attente croissante."""

    @functools.wraps(method)
    async def wrapper(*args, **kwargs):
        attempts = settings.CCXT_RETRIES + 1
        for attempt in range(attempts):
            try:
                return await method(*args, **kwargs)
            except ExchangeError as error:
                if not error.retryable or attempt == attempts - 1:
                    raise
                logger.info("%s : nouvel essai dans %s ms", error, settings.CCXT_RETRY_DELAY_MS * 2**attempt)
                await asyncio.sleep(settings.CCXT_RETRY_DELAY_MS * 2**attempt / 1000)

    return wrapper


async def _invoke(exchange, broker, method: str, *args, **kwargs):
    """Appelle `exchange.method` ; toute erreur CCXT ressort traduite, sans secret dans le texte.

    Horloge décalée (Binance -1021, InvalidNonce) : l'écart est remesuré et l'appel refait une fois (la requête
    refusée n'a rien fait, un ordre ne peut pas être doublé). Une erreur sans catégorie portée par une réponse 5xx
    est une issue incertaine (OutcomeUnknown).
    """
    for attempt in (1, 2):
        _HTTP_STATUS.set(None)
        try:
            return await getattr(exchange, method)(*args, **kwargs)
        except ccxt.InvalidNonce as error:
            try:
                synced = attempt == 1 and await _sync_clock(exchange, broker)
            except ExchangeError:
                synced = False
            if not synced:
                raise _translated(exchange, broker, error) from None
            logger.warning("%s : horloge décalée (%s), écart remesuré, nouvel essai", exchange.name, error)
        except ccxt.BaseError as error:
            raise _translated(exchange, broker, error) from None


def _translated(exchange, broker, error: ccxt.BaseError) -> ExchangeError:
    translated = translate(error, exchange.name, exchange.id, _secrets(broker))
    if type(translated) is ExchangeError and (_HTTP_STATUS.get() or 0) >= 500:
        translated = OutcomeUnknown(translated.exchange, translated.detail)
    if "MAX_NUM_ALGO_ORDERS" in translated.detail:  # CCXT : BadRequest (-1013) ou InvalidOrder selon la route
        translated = AlgoOrdersLimit(translated.exchange, translated.detail)
    return translated


async def _sync_clock(exchange, broker) -> bool:
    """Mesure l'écart entre l'horloge locale et celle de l'exchange (CCXT : options["timeDifference"], retiré de
    chaque `timestamp` signé), lecture réessayée comme les autres ; False si l'exchange ne donne pas son heure."""
    if not (getattr(exchange, "has", None) or {}).get("fetchTime") or not hasattr(exchange, "load_time_difference"):
        return False
    await _read(exchange, broker, "load_time_difference")
    exchange.options["clockSyncedAt"] = time.monotonic()
    offset = exchange.options.get("timeDifference") or 0
    if abs(offset) > exchange_clock.SHOWN_ABOVE_MS:
        logger.info("%s : horloge locale décalée de %d ms avec le serveur (compensé)", exchange.name, offset)
    testnet = getattr(exchange, "isSandboxModeEnabled", False)
    name = f"{exchange.name} (testnet)" if testnet else exchange.name
    await exchange_clock.record(exchange.id + ("-testnet" if testnet else ""), name, int(offset))
    return True


_read = retrier(_invoke)


def _announce_refused_keys(broker, error: AuthenticationFailed) -> None:
    """Clés refusées d'un broker enregistré : publié à son propriétaire (une alerte par version des clés)."""
    data = {"id": broker.pk, "broker_name": broker.name, "error": str(error), "version": broker.updated_at.isoformat()}
    try:
        publish_sync(user_group(broker.user_id), client_event(BROKER_AUTH_FAILED, data))
    except Exception:
        logger.warning("Refus des clés du broker %s non publié", broker.pk)
    finally:  # fil de l'exécuteur de la porte : sa connexion à la base (alerte enregistrée) ne reste pas ouverte
        close_old_connections()


def on_door(method):
    """Exécute la méthode sur la boucle de la porte, quelle que soit la boucle de l'appelant. Clés refusées
    (AuthenticationFailed) : publiées au propriétaire du broker, hors de la porte (elle ne touche pas la base)."""

    @functools.wraps(method)
    async def wrapper(self, *args, **kwargs):
        try:
            return await self.on_door_loop(method(self, *args, **kwargs))
        except AuthenticationFailed as error:
            broker = args[0] if args else kwargs.get("broker")
            if getattr(broker, "pk", None) is not None and getattr(broker, "updated_at", None) is not None:
                with contextlib.suppress(RuntimeError):  # exécuteur fermé (arrêt) : l'erreur passe quand même
                    asyncio.get_running_loop().run_in_executor(None, _announce_refused_keys, broker, error)
            raise

    return wrapper


@dataclass(frozen=True)
class ProtectionSupport:
    """Ce que l'exchange sait tenir lui-même pour protéger une position spot sur une paire."""

    oco: bool
    stop_loss: bool
    take_profit: bool


@dataclass(frozen=True)
class OcoOrder:
    """Un OCO posé : identifiant de la liste et ses deux jambes (take-profit limite, stop-loss limite)."""

    list_id: str
    take_profit: Order
    stop_loss: Order


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _market_of(exchange, broker, symbol: str) -> Market:
    raw = find_market(exchange.markets, symbol)
    if raw is None:
        raise ValidationError(f"Paire inconnue sur {broker.name} : {symbol}.")
    market = market_from(raw)
    if not market.active:
        raise ValidationError(f"Paire {market.symbol} inactive sur {broker.name} : ordre refusé.")
    return market


def _precision_of(exchange, broker, symbol: str, amount, price=None, side=None) -> tuple[Decimal, Decimal | None]:
    try:
        rounded = exchange.amount_to_precision(symbol, format(amount, "f"))
    except ccxt.InvalidOrder:
        rounded = "0"
    if price is not None and side is not None:
        price = _safe_tick(exchange, symbol, Decimal(price), side)
    try:
        price = None if price is None else exchange.price_to_precision(symbol, format(price, "f"))
    except ccxt.BaseError as error:
        raise translate(error, exchange.name, exchange.id, _secrets(broker)) from None
    return Decimal(rounded), to_decimal(price)


def _safe_tick(exchange, symbol: str, price: Decimal, side: str) -> Decimal:
    """Le prix limite sur le pas de prix, arrondi du côté sûr : vers le bas à l'achat, vers le haut à la vente."""
    raw = find_market(exchange.markets, symbol) or {}
    tick = to_decimal((raw.get("precision") or {}).get("price"))
    if not tick:
        return price
    if getattr(exchange, "precisionMode", ccxt.TICK_SIZE) != ccxt.TICK_SIZE:
        tick = Decimal(1).scaleb(-int(tick))
    rounding = ROUND_FLOOR if side == "buy" else ROUND_CEILING
    return (price / tick).to_integral_value(rounding) * tick


def _filter(raw: dict, kind: str) -> dict:
    """Un filtre exchangeInfo de Binance du marché CCXT brut (vide s'il n'y en a pas)."""
    filters = ((raw or {}).get("info") or {}).get("filters") or []
    return next((f for f in filters if isinstance(f, dict) and f.get("filterType") == kind), {})


async def _check_protection(exchange, broker, symbol: str, amount: Decimal, prices: Iterable[Decimal]) -> None:
    """Refuse en français, avant l'envoi, un ordre de protection que l'exchange refuserait : montant de la jambe
    la plus basse sous le minimum, ou paire portant déjà son maximum d'ordres stop/take-profit (exchangeInfo)."""
    raw = find_market(exchange.markets, symbol) or {}
    market = market_from(raw) if raw else None
    lowest = min(prices)
    if market is not None and market.min_cost and amount * lowest < market.min_cost:
        raise OrderRejected(
            exchange.name,
            f"montant {_text(amount * lowest)} {market.quote} sous le minimum de {_text(market.min_cost)} "
            f"{market.quote} pour {market.symbol} (non envoyé)",
        )
    limit = _filter(raw, "MAX_NUM_ALGO_ORDERS").get("maxNumAlgoOrders")
    if not limit:
        return
    try:
        orders = await _read(exchange, broker, "fetch_open_orders", symbol)
    except ExchangeError as error:  # rien n'est parti : jamais une issue incertaine
        detail = f"ordres ouverts de {symbol} illisibles, non envoyé ({error.detail})"
        raise ExchangeError(exchange.name, detail) from None
    algo = sum(1 for o in orders if (o.get("info") or {}).get("type") in ALGO_TYPES)
    if algo >= int(limit):
        raise AlgoOrdersLimit(
            exchange.name, f"{algo} ordres stop/take-profit déjà ouverts sur {symbol}, le maximum permis (non envoyé)"
        )


# Lectures des marchés déjà chargés : calculées dans le fil de l'appelant, sans passer par la boucle de la porte.
_LOCAL = {"market": _market_of, "to_precision": _precision_of}


@dataclass
class _Handle:
    exchange: object
    version: datetime | None


class CcxtManager:
    def __init__(self):
        self._handles: dict[tuple[int, int], _Handle] = {}
        self._locks: dict[tuple[int, int], asyncio.Lock] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._boot = threading.Lock()

    # --- boucle dédiée ---------------------------------------------------------------------------
    def _door_loop(self) -> asyncio.AbstractEventLoop:
        with self._boot:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="exchange-door", daemon=True).start()
                self._loop = loop
                atexit.register(self.shutdown)
            return self._loop

    def submit(self, coroutine: Coroutine) -> concurrent.futures.Future:
        """Lance `coroutine` sur la boucle de la porte sans attendre (tâches de fond).

        Contexte vide : sinon la tâche hériterait du contexte de l'appelant (ThreadSensitiveContext
        d'une requête Django) et ses sync_to_async attendraient le fil de la requête, bloqué ici.
        """
        return contextvars.Context().run(asyncio.run_coroutine_threadsafe, coroutine, self._door_loop())

    async def on_door_loop(self, coroutine: Coroutine):
        """Attend `coroutine` exécutée sur la boucle de la porte (directement si on y est déjà)."""
        loop = self._door_loop()
        if asyncio.get_running_loop() is loop:
            return await coroutine
        return await asyncio.wrap_future(self.submit(coroutine))

    def run(self, coroutine: Coroutine, timeout: float | None = None):
        """Pour le code synchrone (vues, commandes) : exécute `coroutine` sur la porte et retourne son résultat.

        Au-delà de `timeout` (EXCHANGE_CALL_TIMEOUT_SECONDS par défaut), lève ExchangeTimeout : un exchange
        bloqué ne bloque pas une requête.
        """
        if threading.current_thread().name == "exchange-door":
            raise RuntimeError("ccxt_manager.run() appelé depuis la boucle de la porte : utilisez await.")
        limit = settings.EXCHANGE_CALL_TIMEOUT_SECONDS if timeout is None else timeout
        future = self.submit(coroutine)
        try:
            return future.result(limit)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise ExchangeTimeout("L'exchange", f"pas de réponse après {limit:g} s") from None

    @property
    def sync(self) -> "_SyncDoor":
        """Les mêmes méthodes, synchrones : `ccxt_manager.sync.balances(broker)`."""
        return _SyncDoor(self)

    # --- instances -------------------------------------------------------------------------------
    async def _instance(self, broker) -> tuple[object, bool]:
        """(instance prête, créée maintenant ?) ; un broker modifié depuis (updated_at) est recréé."""
        key = (broker.user_id, broker.pk)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            handle = self._handles.get(key)
            if handle is not None and handle.version == broker.updated_at:
                return handle.exchange, False
            if handle is not None:
                await self._drop(key)
            exchange = _new_instance(broker)
            try:
                await _sync_clock(exchange, broker)
                await _read(exchange, broker, "load_markets")
            except BaseException:
                await exchange.close()
                raise
            self._handles[key] = _Handle(exchange, broker.updated_at)
            return exchange, True

    async def _drop(self, key: tuple[int, int]) -> None:
        handle = self._handles.pop(key, None)
        if handle is not None:
            await handle.exchange.close()

    async def _call(self, broker, method: str, *args, **kwargs):
        """Méthode CCXT `method` sur l'instance du broker ; lectures (fetch_*) réessayées, écritures jamais."""
        exchange, _ = await self._instance(broker)
        synced = exchange.options.get("clockSyncedAt") if isinstance(getattr(exchange, "options", None), dict) else None
        if synced is not None and time.monotonic() - synced > CLOCK_SYNC_SECONDS:
            await _sync_clock(exchange, broker)
        invoke = _read if method.startswith("fetch") else _invoke
        return await invoke(exchange, broker, method, *args, **kwargs)

    @on_door
    async def markets(self, broker, *, reload: bool = False) -> dict:
        """Les marchés CCXT bruts de l'instance ; `reload` les redemande, sauf si l'instance vient de naître."""
        exchange, created = await self._instance(broker)
        if reload and not created:
            await _read(exchange, broker, "load_markets", True)
        return exchange.markets

    @on_door
    async def market(self, broker, symbol: str) -> Market:
        """Le marché de `symbol` (« BTC/USDT », « BTCUSDT », « BINANCE:BTCUSDT ») ; ValidationError s'il est inconnu
        ou inactif."""
        exchange, _ = await self._instance(broker)
        return _market_of(exchange, broker, symbol)

    @on_door
    async def ticker(self, broker, symbol: str) -> Ticker:
        return ticker_from(symbol, await self._call(broker, "fetch_ticker", symbol))

    @on_door
    async def last_price(self, broker, symbol: str) -> Decimal | None:
        return (await self.ticker(broker, symbol)).last

    @on_door
    async def last_prices(self, broker, symbols: Iterable[str]) -> dict[str, Decimal | None]:
        """Dernier prix de chaque paire, en parallèle ; None pour une paire dont l'exchange ne donne pas le prix."""
        symbols = list(symbols)
        results = await asyncio.gather(*(self.last_price(broker, s) for s in symbols), return_exceptions=True)
        prices = {}
        for symbol, result in zip(symbols, results):
            if isinstance(result, BaseException) and not isinstance(result, ExchangeError):
                raise result
            prices[symbol] = None if isinstance(result, ExchangeError) else result
        return prices

    @on_door
    async def balances(self, broker) -> dict[str, Balance]:
        """Soldes de total non nul, par devise."""
        return balances_from(await self._call(broker, "fetch_balance"))

    @on_door
    async def create_order(
        self,
        broker,
        *,
        symbol: str,
        type: str,
        side: str,
        amount: Decimal,
        price: Decimal | None = None,
        client_order_id: str | None = None,
        params: dict | None = None,
    ) -> Order:
        """Envoie un ordre (jamais réessayé : une réponse perdue ne dit pas s'il est parti)."""
        extra = {**(params or {}), **({"clientOrderId": client_order_id} if client_order_id else {})}
        price_text = None if price is None else format(price.normalize(), "f")
        return order_from(
            await self._call(broker, "create_order", symbol, type, side, format(amount, "f"), price_text, extra)
        )

    @on_door
    async def create_market_buy_with_cost(self, broker, *, symbol: str, cost: Decimal, client_order_id: str) -> Order:
        """Achat au marché pour `cost` en devise de cotation, jamais plus (Binance : quoteOrderQty) : la quantité est
        celle que ce montant achète au prix d'exécution. OrderRejected, sans envoi, si l'exchange ne le sait pas."""
        exchange, _ = await self._instance(broker)
        if not (getattr(exchange, "has", {}) or {}).get("createMarketBuyOrderWithCost"):
            raise OrderRejected(
                exchange.name, "achat au marché pour un montant non pris en charge (non envoyé) : indiquez une quantité"
            )
        params = {"clientOrderId": client_order_id}
        return order_from(await self._call(broker, "create_market_buy_order_with_cost", symbol, _text(cost), params))

    @on_door
    async def protection_support(self, broker, symbol: str) -> ProtectionSupport:
        """OCO, stop-loss limite et take-profit limite sur le spot de `symbol` : drapeaux `has` de CCXT et, pour
        Binance, types d'ordres et ocoAllowed du marché (exchangeInfo)."""
        exchange, _ = await self._instance(broker)
        raw = find_market(exchange.markets, symbol) or {}
        info = raw.get("info") or {}
        types = info.get("orderTypes")
        has = getattr(exchange, "has", {}) or {}

        def offered(flag: str, order_type: str) -> bool:
            return bool(has.get(flag)) and (types is None or order_type in types)

        return ProtectionSupport(
            oco=exchange.id in OCO_EXCHANGES and info.get("ocoAllowed", exchange.id == "paper") is True,
            stop_loss=offered("createStopLossOrder", "STOP_LOSS_LIMIT"),
            take_profit=offered("createTakeProfitOrder", "TAKE_PROFIT_LIMIT"),
        )

    @on_door
    async def create_stop_loss_order(
        self, broker, *, symbol: str, amount: Decimal, stop_price: Decimal, limit_price: Decimal, client_order_id: str
    ) -> Order:
        """Vente stop-loss limite (Binance : STOP_LOSS_LIMIT, stopPrice = déclencheur, price = limite)."""
        exchange, _ = await self._instance(broker)
        await _check_protection(exchange, broker, symbol, amount, (stop_price, limit_price))
        params = {"stopLossPrice": _text(stop_price), "clientOrderId": client_order_id}
        return order_from(
            await self._call(broker, "create_order", symbol, "limit", "sell", _text(amount), _text(limit_price), params)
        )

    @on_door
    async def create_take_profit_order(
        self, broker, *, symbol: str, amount: Decimal, price: Decimal, client_order_id: str
    ) -> Order:
        """Vente take-profit limite (Binance : TAKE_PROFIT_LIMIT, déclencheur = limite = `price`)."""
        exchange, _ = await self._instance(broker)
        await _check_protection(exchange, broker, symbol, amount, (price,))
        params = {"takeProfitPrice": _text(price), "clientOrderId": client_order_id}
        return order_from(
            await self._call(broker, "create_order", symbol, "limit", "sell", _text(amount), _text(price), params)
        )

    @on_door
    async def create_oco_order(
        self,
        broker,
        *,
        symbol: str,
        amount: Decimal,
        take_profit: Decimal,
        stop_price: Decimal,
        stop_limit: Decimal,
        list_client_id: str,
        take_profit_client_id: str,
        stop_loss_client_id: str,
    ) -> OcoOrder:
        """OCO de vente : take-profit LIMIT_MAKER au-dessus, STOP_LOSS_LIMIT au-dessous (jamais réessayé).

        Binance : route brute POST /api/v3/orderList/oco de CCXT (pas d'OCO unifié) ; paper : sa méthode à lui.
        """
        exchange, _ = await self._instance(broker)
        await _check_protection(exchange, broker, symbol, amount, (take_profit, stop_price, stop_limit))
        request = {
            "symbol": exchange.market(symbol)["id"],
            "side": "SELL",
            "quantity": _text(amount),
            "listClientOrderId": list_client_id,
            "aboveType": "LIMIT_MAKER",
            "abovePrice": _text(take_profit),
            "aboveClientOrderId": take_profit_client_id,
            "belowType": "STOP_LOSS_LIMIT",
            "belowStopPrice": _text(stop_price),
            "belowPrice": _text(stop_limit),
            "belowTimeInForce": "GTC",
            "belowClientOrderId": stop_loss_client_id,
            "newOrderRespType": "FULL",
        }
        method = "create_oco_order" if exchange.id == "paper" else "privatePostOrderListOco"
        answer = await _invoke(exchange, broker, method, request)
        market = exchange.market(symbol)
        legs = {
            report.get("clientOrderId"): order_from(
                report if exchange.id == "paper" else exchange.parse_order(report, market)
            )
            for report in answer.get("orderReports") or []
        }
        if take_profit_client_id not in legs or stop_loss_client_id not in legs:
            raise OutcomeUnknown(exchange.name, "réponse OCO sans ses deux ordres")
        return OcoOrder(str(answer.get("orderListId") or ""), legs[take_profit_client_id], legs[stop_loss_client_id])

    @on_door
    async def fetch_order(
        self, broker, *, symbol: str, order_id: str | None = None, client_order_id: str | None = None
    ) -> Order:
        """Un ordre par son identifiant d'exchange, ou par son identifiant client."""
        params = {} if order_id else {"clientOrderId": client_order_id}
        return order_from(await self._call(broker, "fetch_order", order_id or None, symbol, params))

    @on_door
    async def cancel_order(self, broker, *, symbol: str, order_id: str) -> Order:
        return order_from(await self._call(broker, "cancel_order", order_id, symbol))

    @on_door
    async def order_fills(self, broker, *, symbol: str, order_id: str, since: datetime | None = None) -> list[Fill]:
        """Les exécutions d'un seul ordre (fetch_my_trades demandé pour cet ordre : orderId, since)."""
        if broker.exchange in FILLS_BY_ORDER_ID:
            raw = await self._call(broker, "fetch_my_trades", symbol, None, None, {"orderId": order_id})
        else:
            since_ms = int(since.timestamp() * 1000) if since else None
            raw = await self._call(broker, "fetch_my_trades", symbol, since_ms)
        return [fill for fill in map(fill_from, raw) if fill.order_id == order_id]

    @on_door
    async def amount_step(self, broker, symbol: str) -> Decimal | None:
        """Le pas de quantité du marché (0.00001 pour BTC/USDT sur Binance), None s'il n'est pas connu."""
        exchange, _ = await self._instance(broker)
        raw = find_market(exchange.markets, symbol)
        amount = ((raw or {}).get("precision") or {}).get("amount")
        if amount is None:
            return None
        if getattr(exchange, "precisionMode", ccxt.TICK_SIZE) == ccxt.TICK_SIZE:
            return to_decimal(amount)
        return Decimal(1).scaleb(-int(amount))  # DECIMAL_PLACES : un nombre de décimales

    @on_door
    async def fetch_ohlcv(
        self, broker, symbol: str, timeframe: str, *, since_ms: int, until_ms: int, on_page=None
    ) -> list[Ohlcv]:
        """Les bougies ouvertes dans [since_ms, until_ms[, dans l'ordre, page par page (OHLCV_PAGE) ; la limite
        de débit de l'exchange est tenue par CCXT (enableRateLimit), chaque page réessayée comme toute lecture.
        `on_page(atteint_ms)` est appelé sur la boucle de la porte après chaque page (il ne doit pas attendre).
        Lève NotSupported si l'exchange n'a pas d'historique de bougies."""
        exchange, _ = await self._instance(broker)
        if not (getattr(exchange, "has", None) or {}).get("fetchOHLCV"):
            raise NotSupported(getattr(exchange, "name", broker.exchange), "historique des bougies indisponible")
        step = exchange.parse_timeframe(timeframe) * 1000
        candles: list[Ohlcv] = []
        cursor = since_ms
        while cursor < until_ms:
            limit = min(OHLCV_PAGE, -(-(until_ms - cursor) // step))
            rows = await _read(exchange, broker, "fetch_ohlcv", symbol, timeframe, cursor, limit)
            page = [ohlcv_from(row) for row in rows if cursor <= row[0] < until_ms]
            if not page:
                break
            candles.extend(page)
            cursor = page[-1].open_time_ms + step
            if on_page is not None:
                on_page(cursor)
        return candles

    @on_door
    async def to_precision(
        self, broker, symbol: str, amount, price=None, side: str | None = None
    ) -> tuple[Decimal, Decimal | None]:
        """(quantité tronquée, prix arrondi) selon les règles de précision CCXT du marché ; avec `side`, le prix
        limite est arrondi du côté sûr (achat vers le bas, vente vers le haut).

        Une quantité sous le pas du marché devient 0 (le service d'ordres la refuse avec le minimum) ;
        un prix qui s'arrondit à 0 lève OrderRejected.
        """
        exchange, _ = await self._instance(broker)
        return _precision_of(exchange, broker, symbol, amount, price, side)

    @on_door
    async def test_connection(self, broker) -> dict[str, Balance]:
        """Soldes lus avec les identifiants de `broker` (enregistré ou non) sur une instance jetable."""
        exchange = _new_instance(broker)
        try:
            await _sync_clock(exchange, broker)
            await _read(exchange, broker, "load_markets")
            return balances_from(await _read(exchange, broker, "fetch_balance"))
        finally:
            await exchange.close()

    @on_door
    async def forget(self, broker_id: int) -> None:
        """Ferme et oublie l'instance d'un broker modifié ou supprimé."""
        for key in [k for k in self._handles if k[1] == broker_id]:
            await self._drop(key)

    def forget_sync(self, broker_id: int) -> None:
        if self._loop is not None:
            self.run(self.forget(broker_id))

    @on_door
    async def preload_all(self, brokers: list) -> dict:
        """Crée l'instance de chaque broker donné ; un échec est journalisé sans arrêter les autres."""
        results = await asyncio.gather(*(self._instance(b) for b in brokers), return_exceptions=True)
        failed = 0
        for broker, result in zip(brokers, results):
            if isinstance(result, ExchangeError):
                failed += 1
                logger.warning("Broker %s (%s) non préchargé : %s", broker.pk, broker.exchange, result)
            elif isinstance(result, BaseException):
                failed += 1
                logger.error("Broker %s (%s) non préchargé", broker.pk, broker.exchange, exc_info=result)
        return {"loaded": len(brokers) - failed, "failed": failed}

    @on_door
    async def close_all(self) -> None:
        """Ferme toutes les instances et oublie les débits appris (arrêt du processus, fin d'un test)."""
        for key in list(self._handles):
            await self._drop(key)
        _GATES.clear()

    def loaded(self, broker):
        """L'instance prête du broker (marchés chargés, broker inchangé depuis), ou None."""
        handle = self._handles.get((broker.user_id, broker.pk))
        return handle.exchange if handle is not None and handle.version == broker.updated_at else None

    def loaded_count(self) -> int:
        return len(self._handles)

    def shutdown(self) -> None:
        """Ferme toutes les instances et arrête la boucle de la porte (appelé à la sortie du processus)."""
        if self._loop is None or not self._loop.is_running():
            return
        try:
            self.run(self.close_all(), timeout=10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._loop = None


class _SyncDoor:
    """Jumeaux synchrones des méthodes de la porte, pour les vues et les commandes."""

    def __init__(self, door: CcxtManager):
        self._door = door

    def __getattr__(self, name: str):
        method = getattr(self._door, name)
        local = _LOCAL.get(name)

        def call(*args, **kwargs):
            exchange = self._door.loaded(args[0]) if local and args else None
            if exchange is not None:
                return local(exchange, *args, **kwargs)
            return self._door.run(method(*args, **kwargs))

        return call


ccxt_manager = CcxtManager()
