"""Le heartbeat s'abonne à la paire d'une stratégie activée, sans redémarrer, et la lâche quand plus personne ne la
demande."""

import pytest
from asgiref.sync import sync_to_async

from apps.heartbeat.tests.conftest import listener, simulator, start_heartbeat  # noqa: F401
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/active-strategies/"
SOL = "solusdt@kline_1m"


async def test_activation_subscribes_the_heartbeat_and_stop_drops_it(
    simulator,  # noqa: F811
    start_heartbeat,  # noqa: F811
    alice_api,
    strategy,
    paper_broker,
):
    await start_heartbeat(symbols=["BTC/USDT"])
    assert SOL not in simulator.subscriptions()
    body = {
        "strategy": strategy.pk,
        "broker": paper_broker.pk,
        "symbol": "SOL/USDT",
        "start_date": "2020-01-01T00:00:00Z",
        "end_date": "2099-01-01T00:00:00Z",
        "initial_amount": "100",
    }

    created = await sync_to_async(alice_api.post, thread_sensitive=False)(URL, body, format="json")

    assert created.status_code == 201, created.data
    await eventually(lambda: SOL in simulator.subscriptions(), message="jamais abonné à SOL/USDT")
    stopped = await sync_to_async(alice_api.post, thread_sensitive=False)(
        f"{URL}{created.data['id']}/stop/", {}, format="json"
    )
    assert stopped.status_code == 200
    await eventually(lambda: SOL not in simulator.subscriptions(), message="SOL/USDT jamais lâché")
    assert "btcusdt@kline_1m" in simulator.subscriptions()
