"""Un symbole ajouté (ou retiré) par l'API est suivi (ou lâché) sans redémarrer ni se reconnecter."""

import pytest
from asgiref.sync import sync_to_async

from apps.heartbeat.tests.conftest import START, fast_sleep, play, subscribed, written
from apps.market_data.models import Candle
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_symbol_added_through_the_api_is_subscribed_at_once(simulator, listener, start_heartbeat, admin_api):
    service = await start_heartbeat(symbols=["BTC/USDT"])
    await play(simulator, listener, 1)

    response = await sync_to_async(admin_api.put)(
        "/api/heartbeat/config/", {"symbols": ["btc/usdt", "SOL/USDT"]}, format="json"
    )
    assert response.status_code == 200 and response.json()["symbols"] == ["BTC/USDT", "SOL/USDT"]
    await subscribed(simulator, ["BTC/USDT", "SOL/USDT"])
    await play(simulator, listener, 2, symbols=["BTC/USDT", "SOL/USDT"])
    await written(service)
    # Le nouveau symbole repart du début de son bloc de 4 h, comme au démarrage : 20:00 → 23:52.
    sol = await sync_to_async(list)(
        Candle.objects.filter(symbol="SOL/USDT", timeframe="1m").values_list("open_time", flat=True)
    )
    assert (min(sol), max(sol), len(sol)) == (START.replace(hour=20, minute=0), START.replace(minute=52), 233)
    assert await sync_to_async(Candle.objects.filter(symbol="SOL/USDT", timeframe="4h").count)() == 0

    response = await sync_to_async(admin_api.put)("/api/heartbeat/config/", {"symbols": ["SOL/USDT"]}, format="json")
    assert response.status_code == 200
    await eventually(lambda: simulator.subscriptions() == {"solusdt@kline_1m"}, message=str(simulator.subscriptions()))
    before = len(listener.candles)
    await play(simulator, listener, 1, symbols=["SOL/USDT"])
    assert all(c["symbol"] == "SOL/USDT" for c in listener.candles[before:])
    assert service.status.symbols == ["SOL/USDT"]
    assert fast_sleep.delays == []  # jamais reconnecté
