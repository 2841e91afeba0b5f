"""La table unique : chaque erreur CCXT devient l'exception du projet au bon message français."""

import ccxt
import pytest
from ccxt.base import errors as ccxt_errors

from apps.core import exceptions as ours
from apps.core.exceptions import translate

EXPECTED = {
    ccxt.BaseError: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.ExchangeError: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.AuthenticationError: (ours.AuthenticationFailed, "Erreur de connexion à Binance"),
    ccxt.PermissionDenied: (ours.AuthenticationFailed, "Erreur de connexion à Binance"),
    ccxt.AccountNotEnabled: (ours.AuthenticationFailed, "Erreur de connexion à Binance"),
    ccxt.AccountSuspended: (ours.AuthenticationFailed, "Erreur de connexion à Binance"),
    ccxt.ArgumentsRequired: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.BadRequest: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.BadSymbol: (ours.OrderRejected, "Ordre refusé par Binance"),
    ccxt.OperationRejected: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.NoChange: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.MarginModeAlreadySet: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.MarketClosed: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.ManualInteractionNeeded: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.RestrictedLocation: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.InsufficientFunds: (ours.InsufficientFunds, "Fonds insuffisants sur Binance"),
    ccxt.InvalidAddress: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.AddressPending: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.InvalidOrder: (ours.OrderRejected, "Ordre refusé par Binance"),
    ccxt.OrderNotFound: (ours.OrderNotFound, "Ordre introuvable sur Binance"),
    ccxt.OrderNotCached: (ours.OrderRejected, "Ordre refusé par Binance"),
    ccxt.OrderImmediatelyFillable: (ours.OrderRejected, "Ordre refusé par Binance"),
    ccxt.OrderNotFillable: (ours.OrderRejected, "Ordre refusé par Binance"),
    ccxt.DuplicateOrderId: (ours.OrderRejected, "Ordre refusé par Binance"),
    ccxt.ContractUnavailable: (ours.OrderRejected, "Ordre refusé par Binance"),
    ccxt.NotSupported: (ours.NotSupported, "Fonction non disponible sur Binance"),
    ccxt.InvalidProxySettings: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.ExchangeClosedByUser: (ours.ExchangeError, "Erreur de Binance"),
    ccxt.OperationFailed: (ours.OutcomeUnknown, "Réponse incertaine de Binance"),
    ccxt.NetworkError: (ours.NetworkFailure, "Binance ne répond pas (réseau ou délai dépassé)"),
    ccxt.DDoSProtection: (ours.RateLimited, "Trop de requêtes vers Binance (limite atteinte)"),
    ccxt.RateLimitExceeded: (ours.RateLimited, "Trop de requêtes vers Binance (limite atteinte)"),
    ccxt.ExchangeNotAvailable: (ours.ExchangeUnavailable, "Binance indisponible"),
    ccxt.OnMaintenance: (ours.ExchangeUnavailable, "Binance indisponible"),
    ccxt.InvalidNonce: (ours.NetworkFailure, "Binance ne répond pas (réseau ou délai dépassé)"),
    ccxt.ChecksumError: (ours.NetworkFailure, "Binance ne répond pas (réseau ou délai dépassé)"),
    ccxt.RequestTimeout: (ours.NetworkFailure, "Binance ne répond pas (réseau ou délai dépassé)"),
    ccxt.BadResponse: (ours.OutcomeUnknown, "Réponse incertaine de Binance"),
    ccxt.NullResponse: (ours.OutcomeUnknown, "Réponse incertaine de Binance"),
    ccxt.CancelPending: (ours.OutcomeUnknown, "Réponse incertaine de Binance"),
    ccxt.UnsubscribeError: (ours.ExchangeError, "Erreur de Binance"),
}


def test_every_ccxt_error_class_is_listed_here():
    classes = {getattr(ccxt_errors, name) for name in ccxt_errors.__all__ if name != "error_hierarchy"}
    assert classes == set(EXPECTED)


@pytest.mark.parametrize("ccxt_class", list(EXPECTED), ids=lambda c: c.__name__)
def test_ccxt_error_maps_to_french_frame(ccxt_class):
    our_class, frame = EXPECTED[ccxt_class]

    error = translate(ccxt_class("binance texte technique"), "Binance", "binance")

    assert type(error) is our_class
    assert error.message == f"{frame} : texte technique"
    assert error.detail == "texte technique"


def test_json_body_gives_its_msg_and_urls_lose_their_query():
    body = translate(ccxt.AuthenticationError('binance {"code":-2015,"msg":"Invalid API-key."}'), "Binance", "binance")
    url = translate(
        ccxt.RequestTimeout("binance GET http://h/api/v3/account?timestamp=1&signature=abc request timeout (10000 ms)"),
        "Binance",
        "binance",
    )

    assert body.message == "Erreur de connexion à Binance : Invalid API-key."
    assert (
        url.message
        == "Binance ne répond pas (réseau ou délai dépassé) : GET http://h/api/v3/account request timeout (10000 ms)"
    )


def test_secrets_are_masked_in_messages():
    error = translate(
        ccxt.ExchangeError("kraken bad key KEY123 with SECRET456"), "Kraken", "kraken", ("KEY123", "SECRET456", "")
    )

    assert error.message == "Erreur de Kraken : bad key *** with ***"


def test_retry_advice_follows_the_category():
    retryable = {cls for cls in {c for c, _ in EXPECTED.values()} if cls.retryable}
    assert retryable == {ours.RateLimited, ours.NetworkFailure, ours.ExchangeUnavailable, ours.OutcomeUnknown}
