"""La porte des exchanges : le seul endroit qui crée des instances CCXT (et l'exchange paper).

Une instance par (user_id, broker_id), `load_markets()` une fois, réutilisée par tous les appelants
du processus. Toutes vivent dans une boucle asyncio dédiée (fil « exchange-door ») : les vues
synchrones (`ccxt_manager.run(...)`), le moteur asynchrone (`await ccxt_manager.call(...)`) et les
chargements de fond partagent ainsi les mêmes instances. Les erreurs CCXT sortent d'ici traduites
(apps.core.exceptions) ; les lectures sont réessayées sur limite de débit et erreur réseau.
"""
import asyncio
import atexit
import concurrent.futures
import contextvars
import functools
import logging
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlsplit

import ccxt
import ccxt.async_support as ccxt_async
from channels.db import database_sync_to_async
from django.conf import settings

from apps.core.encryption import is_unreadable
from apps.core.exceptions import AuthenticationFailed, ExchangeError, SandboxUnavailable, translate

logger = logging.getLogger("aristobot.exchanges")

PAPER = "paper"
# Identifiants des champs du formulaire pour les identifiants que CCXT peut demander.
CREDENTIAL_FIELDS = {"apiKey": "api_key", "secret": "api_secret", "password": "api_password"}


@lru_cache(maxsize=None)
def exchange_profile(exchange_id: str) -> dict | None:
    """{"id", "name", "has_sandbox", "credentials"} d'un exchange CCXT ou de `paper` ; None si inconnu."""
    if exchange_id == PAPER:
        return {"id": PAPER, "name": "Paper", "has_sandbox": True, "credentials": [], "unsupported_credentials": []}
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
    return [PAPER, *ccxt_async.exchanges]


def to_decimal(value) -> Decimal | None:
    """Nombre CCXT (float, int, str ou Decimal) → Decimal, en passant par le texte ; None reste None."""
    return None if value is None else Decimal(str(value))


def _rehost(urls, base: str):
    """Remplace schéma et hôte de chaque URL de `urls` (texte ou dictionnaire imbriqué) par ceux de `base`."""
    if isinstance(urls, dict):
        return {key: _rehost(value, base) for key, value in urls.items()}
    if isinstance(urls, str) and urls.startswith("http"):
        parts = urlsplit(urls)
        return base.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")
    return urls


def _secrets(broker) -> tuple[str, ...]:
    return (broker.api_key, broker.api_secret, broker.api_password)


def _new_instance(broker):
    """Crée l'instance d'un broker (enregistré ou non) ; ne touche pas au réseau."""
    if broker.exchange == PAPER:
        from apps.brokers.paper.exchange import PaperExchange

        return PaperExchange(broker_id=broker.pk, starting_balance=broker.paper_starting_balance)
    profile = exchange_profile(broker.exchange)
    if profile is None:
        raise ExchangeError(broker.exchange, "exchange inconnu de CCXT")
    if any(is_unreadable(secret) for secret in _secrets(broker)):
        raise AuthenticationFailed(profile["name"], "identifiants illisibles (la clé de chiffrement a changé), "
                                                    "à ressaisir dans Mon compte")
    exchange = getattr(ccxt_async, broker.exchange)(
        {
            "apiKey": broker.api_key,
            "secret": broker.api_secret,
            "password": broker.api_password,
            "enableRateLimit": True,
            "timeout": settings.CCXT_TIMEOUT_MS,
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
    """Appelle `exchange.method` ; toute erreur CCXT ressort traduite, sans secret dans le texte."""
    try:
        return await getattr(exchange, method)(*args, **kwargs)
    except ccxt.BaseError as error:
        raise translate(error, exchange.name, exchange.id, _secrets(broker)) from None


_read = retrier(_invoke)


def on_door(method):
    """Exécute la méthode sur la boucle de la porte, quelle que soit la boucle de l'appelant."""

    @functools.wraps(method)
    async def wrapper(self, *args, **kwargs):
        return await self.on_door_loop(method(self, *args, **kwargs))

    return wrapper


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
        """Pour le code synchrone (vues, commandes) : exécute `coroutine` sur la porte et retourne son résultat."""
        if threading.current_thread().name == "exchange-door":
            raise RuntimeError("ccxt_manager.run() appelé depuis la boucle de la porte : utilisez await.")
        return self.submit(coroutine).result(timeout)

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

    @on_door
    async def call(self, broker, method: str, *args, **kwargs):
        """Appelle la méthode CCXT `method` sur l'instance du broker ; lève une ExchangeError traduite.

        Les lectures (fetch_*) sont réessayées ; les écritures (create_order, cancel_order) jamais.
        """
        exchange, _ = await self._instance(broker)
        invoke = _read if method.startswith("fetch") else _invoke
        return await invoke(exchange, broker, method, *args, **kwargs)

    @on_door
    async def markets(self, broker, *, reload: bool = False) -> dict:
        """Les marchés de l'instance ; `reload` les redemande à l'exchange, sauf si l'instance vient de naître."""
        exchange, created = await self._instance(broker)
        if reload and not created:
            await _read(exchange, broker, "load_markets", True)
        return exchange.markets

    @on_door
    async def to_precision(self, broker, symbol: str, amount, price=None) -> tuple[Decimal, Decimal | None]:
        """(quantité tronquée, prix arrondi) selon les règles de précision CCXT du marché.

        Une quantité sous le pas du marché devient 0 (le service d'ordres la refuse avec le minimum) ;
        un prix qui s'arrondit à 0 lève OrderRejected.
        """
        exchange, _ = await self._instance(broker)
        try:
            rounded = exchange.amount_to_precision(symbol, format(amount, "f"))
        except ccxt.InvalidOrder:
            rounded = "0"
        try:
            price = None if price is None else exchange.price_to_precision(symbol, format(price, "f"))
        except ccxt.BaseError as error:
            raise translate(error, exchange.name, exchange.id, _secrets(broker)) from None
        return Decimal(rounded), to_decimal(price)

    @on_door
    async def test_connection(self, broker) -> dict:
        """fetch_balance avec les identifiants de `broker` (enregistré ou non) sur une instance jetable."""
        exchange = _new_instance(broker)
        try:
            await _read(exchange, broker, "load_markets")
            return await _read(exchange, broker, "fetch_balance")
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
    async def preload_all(self) -> dict:
        """Crée l'instance de chaque broker de chaque utilisateur ; un échec est journalisé sans arrêter les autres."""
        from apps.brokers.models import Broker

        brokers = await database_sync_to_async(list)(Broker.objects.all())
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
        for key in list(self._handles):
            await self._drop(key)

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


ccxt_manager = CcxtManager()
