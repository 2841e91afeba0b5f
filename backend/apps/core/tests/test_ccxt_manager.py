"""La porte des exchanges : une instance par (utilisateur, broker), marchés chargés une fois, testnet, préchargement."""

import concurrent.futures
import logging
from decimal import Decimal

import pytest

from apps.brokers.models import Broker
from apps.core.exceptions import AuthenticationFailed, SandboxUnavailable

pytestmark = pytest.mark.django_db


def _sapi_calls(fake) -> int:
    return sum(1 for _, path, _ in fake.requests if path.startswith("/sapi/"))


def test_markets_load_once_however_many_concurrent_callers(alice, make_broker, fake_binance, exchange_door):
    broker = make_broker(alice)

    futures = [exchange_door.submit(exchange_door.balances(broker)) for _ in range(5)]
    results = [f.result(timeout=10) for f in concurrent.futures.as_completed(futures)]

    assert all(r["USDT"].total == 1000 for r in results)
    assert fake_binance.count("/api/v3/exchangeInfo") == 1
    assert fake_binance.count("/api/v3/account") == 5
    assert exchange_door.loaded_count() == 1


@pytest.mark.django_db(transaction=True)
async def test_async_callers_share_the_instance_of_sync_callers(alice, make_broker, fake_binance, exchange_door):
    broker = await _acreate(make_broker, alice)

    await exchange_door.ticker(broker, "BTC/USDT")
    exchange_door.submit(exchange_door.ticker(broker, "ETH/USDT")).result(timeout=10)

    assert fake_binance.count("/api/v3/exchangeInfo") == 1
    assert fake_binance.count("/api/v3/ticker/24hr") == 2


async def _acreate(make_broker, user):
    from asgiref.sync import sync_to_async

    return await sync_to_async(make_broker)(user)


def test_one_instance_per_user_and_broker(alice, bob, make_broker, fake_binance, exchange_door):
    first, second, bobs = make_broker(alice), make_broker(alice, name="Autre"), make_broker(bob)

    for broker in (first, second, bobs, first):
        exchange_door.run(exchange_door.balances(broker))

    assert exchange_door.loaded_count() == 3
    assert fake_binance.count("/api/v3/exchangeInfo") == 3


def test_edited_broker_gets_a_new_instance_and_forget_drops_it(alice, make_broker, fake_binance, exchange_door):
    broker = make_broker(alice)
    exchange_door.run(exchange_door.balances(broker))

    broker.description = "Sous-compte02"
    broker.save()
    exchange_door.run(exchange_door.balances(broker))
    assert fake_binance.count("/api/v3/exchangeInfo") == 2
    assert exchange_door.loaded_count() == 1

    exchange_door.sync.forget(broker.pk)
    assert exchange_door.loaded_count() == 0


def test_testnet_broker_runs_in_sandbox_mode(alice, make_broker, fake_binance, exchange_door):
    production, testnet = make_broker(alice), make_broker(alice, name="Test", is_testnet=True)

    exchange_door.run(exchange_door.balances(production))
    production_sapi = _sapi_calls(fake_binance)
    exchange_door.run(exchange_door.balances(testnet))

    # Le testnet Binance n'a pas d'API sapi : CCXT ne l'appelle qu'en production.
    assert production_sapi > 0
    assert _sapi_calls(fake_binance) == production_sapi
    assert testnet.market_source == "binance-testnet"


def test_testnet_on_exchange_without_sandbox_is_refused_without_network(alice, make_broker, exchange_door):
    broker = make_broker(alice, exchange="kraken", is_testnet=True)

    with pytest.raises(SandboxUnavailable) as refused:
        exchange_door.run(exchange_door.balances(broker))

    assert (
        refused.value.message
        == "Pas de testnet pour Kraken : CCXT ne connaît pas de testnet (sandbox) pour cet exchange"
    )
    assert exchange_door.loaded_count() == 0


def test_failed_creation_is_not_cached(alice, make_broker, fake_binance, exchange_door):
    broker = make_broker(alice)
    fake_binance.invalid_key = True
    with pytest.raises(AuthenticationFailed):
        exchange_door.run(exchange_door.balances(broker))

    fake_binance.invalid_key = False
    assert exchange_door.run(exchange_door.balances(broker))["BTC"].total == Decimal("0.5")
    assert exchange_door.loaded_count() == 1


@pytest.mark.django_db(transaction=True)
def test_preload_all_logs_failures_and_loads_the_others(alice, bob, make_broker, fake_binance, exchange_door, caplog):
    make_broker(alice)
    make_broker(alice, name="Paper", exchange="paper", api_key="", api_secret="")
    bad = make_broker(bob, api_key="revoked-key")

    with caplog.at_level(logging.WARNING, logger="aristobot.exchanges"):
        result = exchange_door.run(exchange_door.preload_all(list(Broker.objects.all())))

    assert result == {"loaded": 2, "failed": 1}
    assert exchange_door.loaded_count() == 2
    assert f"Broker {bad.pk} (binance) non préchargé : Erreur de connexion à Binance" in caplog.text
    assert "revoked-key" not in caplog.text


def test_close_all_closes_every_instance(alice, make_broker, fake_binance, exchange_door):
    broker = make_broker(alice)
    exchange_door.run(exchange_door.balances(broker))

    exchange_door.run(exchange_door.close_all())

    assert exchange_door.loaded_count() == 0


@pytest.mark.django_db(transaction=True)
async def test_sync_view_under_asgi_reaches_the_database_backed_paper_exchange(alice, exchange_door):
    from asgiref.sync import ThreadSensitiveContext, sync_to_async

    from apps.brokers.models import Broker

    broker = await sync_to_async(Broker.objects.create)(user=alice, name="Démo", exchange="paper")

    def sync_view():  # comme une vue DRF servie par Daphne, dans le fil de sa requête
        return exchange_door.run(exchange_door.balances(broker), timeout=5)

    async with ThreadSensitiveContext():
        balance = await sync_to_async(sync_view)()

    assert balance["USDT"].total == 10000
