"""Un appel CCXT par la porte : erreurs traduites (sans secret), lectures réessayées, horloge remesurée."""

import asyncio
import functools
import logging
import time

import ccxt
from django.conf import settings

from apps.core.exceptions import AlgoOrdersLimit, ExchangeError, OutcomeUnknown, translate
from apps.core.services import exchange_clock
from apps.core.services.ccxt_manager.gate import HTTP_STATUS
from apps.core.services.ccxt_manager.registry import secrets_of

logger = logging.getLogger("aristobot.exchanges")

CLOCK_SYNC_SECONDS = 3600  # écart d'horloge avec l'exchange remesuré chaque heure (et sur -1021)


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


async def invoke(exchange, broker, method: str, *args, **kwargs):
    """Appelle `exchange.method` ; toute erreur CCXT ressort traduite, sans secret dans le texte.

    Horloge décalée (Binance -1021, InvalidNonce) : l'écart est remesuré et l'appel refait une fois (la requête
    refusée n'a rien fait, un ordre ne peut pas être doublé). Une erreur sans catégorie portée par une réponse 5xx
    est une issue incertaine (OutcomeUnknown).
    """
    for attempt in (1, 2):
        HTTP_STATUS.set(None)
        try:
            return await getattr(exchange, method)(*args, **kwargs)
        except ccxt.InvalidNonce as error:
            try:
                synced = attempt == 1 and await sync_clock(exchange, broker)
            except ExchangeError:
                synced = False
            if not synced:
                raise _translated(exchange, broker, error) from None
            logger.warning("%s : horloge décalée (%s), écart remesuré, nouvel essai", exchange.name, error)
        except ccxt.BaseError as error:
            raise _translated(exchange, broker, error) from None


def _translated(exchange, broker, error: ccxt.BaseError) -> ExchangeError:
    translated = translate(error, exchange.name, exchange.id, secrets_of(broker))
    if type(translated) is ExchangeError and (HTTP_STATUS.get() or 0) >= 500:
        translated = OutcomeUnknown(translated.exchange, translated.detail)
    if "MAX_NUM_ALGO_ORDERS" in translated.detail:  # CCXT : BadRequest (-1013) ou InvalidOrder selon la route
        translated = AlgoOrdersLimit(translated.exchange, translated.detail)
    return translated


async def sync_clock(exchange, broker) -> bool:
    """Mesure l'écart entre l'horloge locale et celle de l'exchange (CCXT : options["timeDifference"], retiré de
    chaque `timestamp` signé), lecture réessayée comme les autres ; False si l'exchange ne donne pas son heure."""
    if not (getattr(exchange, "has", None) or {}).get("fetchTime") or not hasattr(exchange, "load_time_difference"):
        return False
    await read(exchange, broker, "load_time_difference")
    exchange.options["clockSyncedAt"] = time.monotonic()
    offset = exchange.options.get("timeDifference") or 0
    if abs(offset) > exchange_clock.SHOWN_ABOVE_MS:
        logger.info("%s : horloge locale décalée de %d ms avec le serveur (compensé)", exchange.name, offset)
    testnet = getattr(exchange, "isSandboxModeEnabled", False)
    name = f"{exchange.name} (testnet)" if testnet else exchange.name
    await exchange_clock.record(exchange.id + ("-testnet" if testnet else ""), name, int(offset))
    return True


read = retrier(invoke)


async def resync_if_stale(exchange, broker) -> None:
    """Remesure l'écart d'horloge s'il date de plus de CLOCK_SYNC_SECONDS."""
    synced = exchange.options.get("clockSyncedAt") if isinstance(getattr(exchange, "options", None), dict) else None
    if synced is not None and time.monotonic() - synced > CLOCK_SYNC_SECONDS:
        await sync_clock(exchange, broker)
