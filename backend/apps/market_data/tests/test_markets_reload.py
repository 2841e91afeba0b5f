"""MAJ paires : chargement en fond dans la table partagée Market, comptes exacts, un seul chargement par exchange."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from apps.core.exceptions import AuthenticationFailed
from apps.market_data.models import Market
from apps.market_data.services import reload_markets
from aristobot.consumers import AppConsumer
from testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def _reload(door, broker, user):
    return door.run(reload_markets(broker=broker, user_id=user.pk), timeout=30)


def test_second_load_counts_added_removed_updated(alice, make_broker, fake_binance, exchange_door):
    broker = make_broker(alice)

    first = _reload(exchange_door, broker, alice)
    fake_binance.set_symbols(["BTC/USDT", "BNB/USDT"])
    fake_binance.symbols["BTCUSDT"]["filters"][1]["stepSize"] = "0.0001"
    second = _reload(exchange_door, broker, alice)
    third = _reload(exchange_door, broker, alice)

    assert first == {"added": 2, "removed": 0, "updated": 0, "total": 2}
    assert second == {"added": 1, "removed": 1, "updated": 1, "total": 2}
    assert third == {"added": 0, "removed": 0, "updated": 0, "total": 2}
    btc = Market.objects.get(exchange="binance", symbol="BTC/USDT")
    assert (btc.base, btc.quote, btc.type, btc.active) == ("BTC", "USDT", "spot", True)
    assert btc.precision["amount"] == "0.0001" and btc.limits["cost"]["min"] == "5"
    assert sorted(Market.objects.values_list("symbol", flat=True)) == ["BNB/USDT", "BTC/USDT"]


def test_concurrent_reloads_of_one_exchange_run_once(alice, bob, make_broker, fake_binance, exchange_door):
    brokers = [(make_broker(alice), alice), (make_broker(alice, name="Bis"), alice), (make_broker(bob), bob)]

    futures = [exchange_door.submit(reload_markets(broker=b, user_id=u.pk)) for b, u in brokers]
    results = [f.result(timeout=30) for f in futures]

    assert fake_binance.count("/api/v3/exchangeInfo") == 1
    assert results == [{"added": 2, "removed": 0, "updated": 0, "total": 2}] * 3
    assert Market.objects.count() == 2


def test_testnet_markets_are_kept_apart_from_production(alice, make_broker, fake_binance, exchange_door):
    _reload(exchange_door, make_broker(alice), alice)
    fake_binance.set_symbols(["BTC/USDT"])

    counts = _reload(exchange_door, make_broker(alice, name="Test", is_testnet=True), alice)

    assert counts["added"] == 1
    assert Market.objects.filter(exchange="binance").count() == 2
    assert list(Market.objects.filter(exchange="binance-testnet").values_list("symbol", flat=True)) == ["BTC/USDT"]


async def test_user_websocket_gets_loading_then_counts(alice, make_broker, fake_binance, exchange_door):
    broker = await sync_to_async(make_broker)(alice)
    socket = WebsocketCommunicator(AppConsumer.as_asgi(), "/ws/")
    socket.scope["user"] = alice
    assert (await socket.connect())[0]
    assert (await socket.receive_json_from(timeout=5))["type"] == "status"

    await reload_markets(broker=broker, user_id=alice.pk)

    assert await socket.receive_json_from(timeout=5) == {
        "type": "markets_loading",
        "data": {"exchange": "binance", "name": "Binance"},
    }
    assert await socket.receive_json_from(timeout=5) == {
        "type": "markets_loaded",
        "data": {"exchange": "binance", "name": "Binance", "added": 2, "removed": 0, "updated": 0, "total": 2},
    }
    await socket.disconnect()


async def test_failed_load_tells_the_user_in_french(alice, bob, make_broker, fake_binance, exchange_door):
    broker = await sync_to_async(make_broker)(alice, api_key="revoked")
    socket = WebsocketCommunicator(AppConsumer.as_asgi(), "/ws/")
    socket.scope["user"] = alice
    await socket.connect()
    await socket.receive_json_from(timeout=5)

    with pytest.raises(AuthenticationFailed):
        await reload_markets(broker=broker, user_id=alice.pk)

    assert (await socket.receive_json_from(timeout=5))["type"] == "markets_loading"
    # L'échec du chargement et l'alerte « clés refusées » partent de deux fils : leur ordre n'est pas fixé.
    received = {message["type"]: message for message in [await socket.receive_json_from(timeout=5) for _ in "12"]}
    assert set(received) == {"markets_failed", "broker_auth_failed"}
    assert received["markets_failed"] == {
        "type": "markets_failed",
        "data": {
            "exchange": "binance",
            "name": "Binance",
            "error": "Erreur de connexion à Binance : Invalid API-key, IP, or permissions for action.",
        },
    }
    assert await sync_to_async(Market.objects.count)() == 0
    await socket.disconnect()


def test_maj_paires_answers_at_once_and_loads_in_background(alice, alice_api, make_broker, fake_binance, exchange_door):
    broker = make_broker(alice)
    fake_binance.gate.clear()  # Binance ne répond plus tant que le test ne l'a pas relâché

    response = alice_api.post(f"/api/brokers/{broker.pk}/reload-markets/")

    assert response.status_code == 202
    assert response.data == {"detail": "Chargement des paires de Binance…"}
    assert not Market.objects.filter(exchange="binance").exists()  # la réponse n'a pas attendu le chargement
    fake_binance.gate.set()
    wait_until(lambda: Market.objects.filter(exchange="binance").count() == 2, 15)


def test_saving_a_broker_loads_its_markets(alice_api, exchange_door):
    response = alice_api.post("/api/brokers/", {"name": "Démo", "exchange": "paper"}, format="json")

    assert response.status_code == 201
    wait_until(lambda: Market.objects.filter(exchange="paper").count() == 2, 15)
    assert sorted(Market.objects.filter(exchange="paper").values_list("symbol", flat=True)) == ["BTC/USDT", "ETH/USDT"]
