"""Erreurs du projet. Celles d'exchange : un cadre français suivi du texte technique d'origine.

Seule la porte des exchanges (ccxt_manager) traduit les erreurs CCXT, avec la table `_TABLE`
ci-dessous ; les appelants n'attrapent que ces classes. Chaque docstring dit quoi faire :
réessayer, passer (abandonner cette opération) ou arrêter (l'utilisateur doit corriger).
"""

import json
import re

import ccxt
from django.http import Http404


class NotFound(Http404):
    """Objet absent ou appartenant à un autre utilisateur : les vues DRF répondent 404 d'elles-mêmes."""


class Conflict(Exception):
    """La demande contredit une demande déjà enregistrée (même identifiant, autres valeurs) : l'API répond 409."""

    @property
    def message(self) -> str:
        return str(self)


class ExchangeError(Exception):
    """Erreur d'exchange sans catégorie plus précise : arrêter l'opération et afficher le message."""

    frame = "Erreur de {exchange}"
    retryable = False

    def __init__(self, exchange: str, detail: str):
        self.exchange = exchange
        self.detail = detail
        super().__init__(f"{self.frame.format(exchange=exchange)} : {detail}")

    @property
    def message(self) -> str:
        return str(self)


class AuthenticationFailed(ExchangeError):
    """Clés refusées ou droits insuffisants : arrêter, l'utilisateur doit corriger ses clés."""

    frame = "Erreur de connexion à {exchange}"


class InsufficientFunds(ExchangeError):
    """Solde insuffisant : passer cet ordre."""

    frame = "Fonds insuffisants sur {exchange}"


class OrderRejected(ExchangeError):
    """Ordre invalide (quantité, prix, paire) : passer cet ordre."""

    frame = "Ordre refusé par {exchange}"


class AlgoOrdersLimit(OrderRejected):
    """La paire porte déjà le maximum d'ordres stop/take-profit permis (Binance : MAX_NUM_ALGO_ORDERS, 5) :
    ne pas poser d'autre ordre de protection, surveiller la position."""

    frame = "Limite d'ordres stop/take-profit atteinte sur {exchange}"


class OrderNotFound(OrderRejected):
    """Ordre inconnu ou déjà clôturé : passer."""

    frame = "Ordre introuvable sur {exchange}"


class RateLimited(ExchangeError):
    """Trop de requêtes : réessayer plus tard (la porte réessaie déjà les lectures)."""

    frame = "Trop de requêtes vers {exchange} (limite atteinte)"
    retryable = True


class NetworkFailure(ExchangeError):
    """Réseau ou délai dépassé : réessayer."""

    frame = "{exchange} ne répond pas (réseau ou délai dépassé)"
    retryable = True


class ExchangeTimeout(NetworkFailure):
    """La porte a cessé d'attendre l'exchange (délai global) : réessayer plus tard ; un ordre a pu partir."""

    frame = "{exchange} ne répond pas à temps"


class OutcomeUnknown(ExchangeError):
    """L'exchange a reçu la requête sans dire ce qu'il en a fait (Binance -1006, -1000, -1001, réponse
    illisible) : une lecture se réessaie ; un ordre a peut-être été passé, seul l'exchange le dira."""

    frame = "Réponse incertaine de {exchange}"
    retryable = True


class ExchangeUnavailable(ExchangeError):
    """Exchange injoignable ou en maintenance : réessayer plus tard."""

    frame = "{exchange} indisponible"
    retryable = True


class NotSupported(ExchangeError):
    """Fonction absente de cet exchange : arrêter."""

    frame = "Fonction non disponible sur {exchange}"


class SandboxUnavailable(NotSupported):
    """Broker testnet sur un exchange sans testnet : refuser, jamais de repli silencieux sur la production."""

    frame = "Pas de testnet pour {exchange}"


# La seule table de traduction CCXT → projet ; la classe CCXT la plus précise l'emporte (ordre du MRO).
_TABLE: dict[type, type[ExchangeError]] = {
    ccxt.AuthenticationError: AuthenticationFailed,
    ccxt.InsufficientFunds: InsufficientFunds,
    ccxt.OrderNotFound: OrderNotFound,
    ccxt.InvalidOrder: OrderRejected,
    ccxt.BadSymbol: OrderRejected,
    ccxt.DDoSProtection: RateLimited,
    ccxt.RateLimitExceeded: RateLimited,
    ccxt.ExchangeNotAvailable: ExchangeUnavailable,
    ccxt.RequestTimeout: NetworkFailure,
    ccxt.NetworkError: NetworkFailure,
    ccxt.OperationFailed: OutcomeUnknown,
    ccxt.NotSupported: NotSupported,
    ccxt.BaseError: ExchangeError,
}

_URL_QUERY = re.compile(r"(https?://[^\s?]+)\?\S*")


def technical_text(error: Exception, exchange_id: str = "", secrets: tuple[str, ...] = ()) -> str:
    """Le texte CCXT sans préfixe d'exchange ni paramètres d'URL ; `msg` extrait d'un corps JSON final ;
    secrets masqués."""
    text = str(error).strip()
    if exchange_id and text.startswith(exchange_id + " "):
        text = text[len(exchange_id) + 1 :]
    start = text.find("{")
    try:
        body = json.loads(text[start:]) if start >= 0 else None
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("msg") or body.get("message"), str):
        # CCXT fait parfois précéder le corps de son explication : « explication (msg) ».
        detail, explanation = body.get("msg") or body.get("message"), text[:start].strip()
        text = f"{explanation} ({detail})" if explanation else detail
    text = _URL_QUERY.sub(r"\1", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text or type(error).__name__


def translate(
    error: ccxt.BaseError, exchange_name: str, exchange_id: str = "", secrets: tuple[str, ...] = ()
) -> ExchangeError:
    """Retourne l'exception du projet correspondant à `error` (ne la lève pas)."""
    for klass in type(error).__mro__:
        if klass in _TABLE:
            return _TABLE[klass](exchange_name, technical_text(error, exchange_id, secrets))
    return ExchangeError(exchange_name, technical_text(error, exchange_id, secrets))
