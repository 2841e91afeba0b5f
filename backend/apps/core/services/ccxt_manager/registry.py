"""Les exchanges connus de la porte (CCXT et ceux enregistrés par une app, comme l'exchange paper) et la
fabrication d'une instance pour un broker, sans toucher au réseau."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import ccxt.async_support as ccxt_async
from django.conf import settings

from apps.core.encryption import is_unreadable
from apps.core.exceptions import AuthenticationFailed, ExchangeError, SandboxUnavailable
from apps.core.services.ccxt_manager.gate import watch

# Exchanges qui comptent leur limite en poids par minute (Binance : 6000/min) : limiteur de CCXT en fenêtre
# glissante d'une minute, qui laisse passer ensemble les ordres d'une vague (le seau par défaut les espace de 50 ms).
ROLLING_WINDOW_LIMITS = frozenset({"binance", "binanceus"})
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


def secrets_of(broker) -> tuple[str, ...]:
    """Les identifiants du broker, à retirer de tout texte d'erreur."""
    return (broker.api_key, broker.api_secret, broker.api_password)


def new_instance(broker):
    """Crée l'instance d'un broker (enregistré ou non) ; ne touche pas au réseau."""
    if broker.exchange in _FACTORIES:
        return _FACTORIES[broker.exchange].create(broker)
    profile = exchange_profile(broker.exchange)
    if profile is None:
        raise ExchangeError(broker.exchange, "exchange inconnu de CCXT")
    if any(is_unreadable(secret) for secret in secrets_of(broker)):
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
    watch(exchange)
    return exchange
