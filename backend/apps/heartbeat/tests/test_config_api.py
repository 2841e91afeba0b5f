"""/api/heartbeat/config/ : symboles suivis, BTC/USDT et ETH/USDT par défaut, validés contre les paires Binance."""

import pytest

from apps.heartbeat.models import HeartbeatConfig
from apps.market_data.models import Market

pytestmark = pytest.mark.django_db
URL = "/api/heartbeat/config/"
TIMEFRAMES = ["1m", "3m", "5m", "10m", "15m", "1h", "2h", "4h"]


def test_defaults_are_btc_and_eth_with_the_eight_timeframes(alice_api):
    assert alice_api.get(URL).json() == {"symbols": ["BTC/USDT", "ETH/USDT"], "timeframes": TIMEFRAMES}


def test_symbols_are_normalized_and_saved_for_everyone(admin_api, bob_api):
    response = admin_api.put(URL, {"symbols": [" eth/usdt ", "SOL/USDT", "ETH/USDT"]}, format="json")
    assert response.status_code == 200 and response.json()["symbols"] == ["ETH/USDT", "SOL/USDT"]
    assert HeartbeatConfig.load().symbols == ["ETH/USDT", "SOL/USDT"]
    assert bob_api.get(URL).json()["symbols"] == ["ETH/USDT", "SOL/USDT"]


@pytest.mark.parametrize(
    "symbols, message",
    [
        ([], "Suivez au moins un symbole."),
        (["BTCUSDT"], "Symbole(s) invalide(s) : BTCUSDT (attendu BASE/COTATION, ex. BTC/USDT)."),
        (["BTC/USDT", "B$/USDT"], "Symbole(s) invalide(s) : B$/USDT"),
    ],
)
def test_invalid_symbols_are_refused_in_french(admin_api, symbols, message):
    response = admin_api.put(URL, {"symbols": symbols}, format="json")
    assert response.status_code == 400 and message in response.json()["detail"]
    assert HeartbeatConfig.load().symbols == ["BTC/USDT", "ETH/USDT"]


def test_once_binance_markets_are_known_only_active_ones_are_accepted(admin_api):
    for symbol, active in [("BTC/USDT", True), ("SOL/USDT", True), ("LUNA/USDT", False)]:
        base, quote = symbol.split("/")
        Market.objects.create(exchange="binance", symbol=symbol, base=base, quote=quote, active=active)
    Market.objects.create(exchange="kraken", symbol="DOGE/USDT", base="DOGE", quote="USDT")

    response = admin_api.put(URL, {"symbols": ["BTC/USDT", "DOGE/USDT", "LUNA/USDT"]}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Paire(s) inconnue(s) ou inactive(s) chez Binance : DOGE/USDT, LUNA/USDT."
    response = admin_api.put(URL, {"symbols": ["SOL/USDT", "BTC/USDT"]}, format="json")
    assert response.status_code == 200 and HeartbeatConfig.load().symbols == ["SOL/USDT", "BTC/USDT"]


def test_anonymous_visitors_cannot_read_nor_change_it(api, prod_mode):
    assert api.get(URL).status_code == 403
    assert api.put(URL, {"symbols": ["SOL/USDT"]}, format="json").status_code == 403


def test_only_an_administrator_changes_the_followed_symbols(alice_api, bob_api):
    response = alice_api.put(URL, {"symbols": ["SOL/USDT"]}, format="json")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Réservé aux administrateurs : les symboles suivis valent pour tous les utilisateurs."
    }
    assert HeartbeatConfig.load().symbols == ["BTC/USDT", "ETH/USDT"]
    assert bob_api.get(URL).status_code == 200


def test_offline_an_unknown_pair_is_refused_from_the_known_binance_list(admin_api):
    assert not Market.objects.filter(exchange="binance").exists()

    refused = admin_api.put(URL, {"symbols": ["BTC/USDT", "FAKE/USDT"]}, format="json")
    accepted = admin_api.put(URL, {"symbols": ["LTC/BTC", "SOL/USDT"]}, format="json")

    assert refused.status_code == 400
    assert refused.json()["detail"] == "Paire(s) inconnue(s) ou inactive(s) chez Binance : FAKE/USDT."
    assert accepted.status_code == 200 and accepted.json()["symbols"] == ["LTC/BTC", "SOL/USDT"]
