"""« Tester la connexion » : fetch_balance par la porte, avec la classe binance de CCXT contre un faux Binance."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/brokers/test/"
FORM = {"name": "Principal", "exchange": "binance", "api_key": "good-key", "api_secret": "good-secret"}


def test_connection_ok_shows_nonzero_balances(alice_api, fake_binance):
    fake_binance.balances["ETH"] = [0, 0]

    response = alice_api.post(URL, FORM, format="json")

    assert response.status_code == 200, response.data
    assert response.data["ok"] is True
    assert response.data["balances"] == {
        "USDT": {"free": "1000", "used": "0", "total": "1000"},
        "BTC": {"free": "0.5", "used": "0", "total": "0.5"},
    }
    assert fake_binance.count("/api/v3/account") == 1


def test_invalid_key_gives_french_authentication_message(alice_api, fake_binance):
    response = alice_api.post(URL, {**FORM, "api_key": "wrong-key"}, format="json")

    assert response.status_code == 502
    assert response.data["code"] == "AuthenticationFailed"
    assert response.data["detail"] == (
        "Erreur de connexion à Binance : Invalid API-key, IP, or permissions for action."
    )
    assert "wrong-key" not in str(response.data)


def test_wrong_secret_is_an_authentication_error_without_the_secret(alice_api, fake_binance):
    response = alice_api.post(URL, {**FORM, "api_secret": "not-the-secret"}, format="json")

    assert response.data["code"] == "AuthenticationFailed"
    assert response.data["detail"].startswith("Erreur de connexion à Binance : ")
    assert "not-the-secret" not in response.data["detail"]


def test_http_429_gives_rate_limit_message_after_retries(alice_api, fake_binance, settings):
    settings.CCXT_RETRIES = 2
    fake_binance.rate_limited = -1

    response = alice_api.post(URL, FORM, format="json")

    assert response.status_code == 502
    assert response.data["code"] == "RateLimited"
    assert response.data["detail"].startswith("Trop de requêtes vers Binance (limite atteinte) : ")
    first_path = fake_binance.requests[0][1]
    assert fake_binance.count(first_path) == 3  # un appel et deux nouveaux essais
    assert fake_binance.count("/api/v3/account") == 0


def test_one_429_is_retried_transparently(alice_api, fake_binance):
    fake_binance.rate_limited = 1

    response = alice_api.post(URL, FORM, format="json")

    assert response.status_code == 200
    assert fake_binance.count(fake_binance.requests[0][1]) == 2


def test_timeout_gives_network_message(alice_api, fake_binance, settings):
    settings.CCXT_TIMEOUT_MS = 200
    settings.CCXT_RETRIES = 0
    fake_binance.delay = 0.6

    response = alice_api.post(URL, FORM, format="json")

    assert response.status_code == 502
    assert response.data["code"] == "NetworkFailure"
    assert response.data["detail"].startswith("Binance ne répond pas (réseau ou délai dépassé) : ")
    assert "signature=" not in response.data["detail"]


def test_exchange_down_gives_unavailable_message(alice_api, settings, exchange_door):
    settings.EXCHANGE_API_URLS = {"binance": "http://127.0.0.1:9"}  # personne n'écoute
    settings.CCXT_RETRIES = 0

    response = alice_api.post(URL, FORM, format="json")

    assert response.data["code"] == "ExchangeUnavailable"
    assert response.data["detail"].startswith("Binance indisponible : ")


def test_missing_secret_is_refused_before_any_request(alice_api, fake_binance):
    response = alice_api.post(URL, {**FORM, "api_secret": ""}, format="json")

    assert response.status_code == 400
    assert response.data["detail"] == "Binance demande le secret."
    assert fake_binance.requests == []


def test_testnet_on_exchange_without_sandbox_is_refused(alice_api, exchange_door):
    response = alice_api.post(URL, {**FORM, "exchange": "kraken", "is_testnet": True}, format="json")

    assert response.status_code == 400
    assert response.data["detail"] == "Kraken n'a pas de testnet dans CCXT : ce broker ne peut pas être marqué testnet."


def test_saved_broker_can_be_tested_and_form_keeps_blank_secret(alice, alice_api, fake_binance, make_broker):
    broker = make_broker(alice)

    saved = alice_api.post(f"/api/brokers/{broker.pk}/test/")
    form = alice_api.post(URL, {**FORM, "id": broker.pk, "api_secret": ""}, format="json")

    assert saved.status_code == 200 and saved.data["balances"]["USDT"]["total"] == "1000"
    assert form.status_code == 200, form.data
