"""La connexion au flux : attente croissante et « jitterée », silence, serverShutdown, relève avant 24 h, pings."""

import asyncio
import json
import socket
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async

from apps.heartbeat.models import HeartbeatStatus
from apps.heartbeat.simulator.feeds import RandomWalkFeed
from apps.heartbeat.simulator.server import BinanceSimulator
from apps.heartbeat.tests.conftest import START, fast_sleep, ms, play, subscribed
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_refused_connections_back_off_from_1_s_doubling_to_30_s_with_jitter(start_heartbeat):
    draws = iter([1.0, 0.0] * 10)
    await start_heartbeat(ws_url=f"ws://127.0.0.1:{closed_port()}", wait_subscribed=False, jitter=lambda: next(draws))
    await eventually(lambda: len(fast_sleep.delays) >= 8)
    # Délai courant 1, 2, 4, 8, 16, 30, 30… ; l'aléa le ramène entre sa moitié (0.0) et lui-même (1.0).
    assert fast_sleep.delays[:8] == [1.0, 1.0, 4.0, 4.0, 16.0, 15.0, 30.0, 15.0]
    status = await sync_to_async(HeartbeatStatus.load)()
    assert not status.connected and "flux interrompu" in status.last_error


async def test_a_silent_stream_is_dropped_and_reopened(simulator, listener, start_heartbeat):
    await start_heartbeat(stall_seconds=0.3)
    await play(simulator, listener, 1)
    simulator.paused = True
    await eventually(lambda: simulator.connections >= 2, message="jamais reconnecté après le silence")
    # Une connexion restée muette compte comme un échec : l'attente suivante double.
    assert fast_sleep.delays[:2] in ([1.0], [1.0, 2.0])
    status = await sync_to_async(HeartbeatStatus.load)()
    assert "aucun message depuis 0.3 s" in status.last_error
    simulator.paused = False
    await subscribed(simulator, ["BTC/USDT"])
    await play(simulator, listener, 1)


async def test_server_shutdown_announcement_triggers_a_reconnection(simulator, listener, start_heartbeat):
    await start_heartbeat()
    await play(simulator, listener, 1)
    await simulator.send_raw(json.dumps({"e": "serverShutdown", "E": ms(START)}))
    await eventually(lambda: simulator.connections >= 2, message="pas de reconnexion après serverShutdown")
    await subscribed(simulator, ["BTC/USDT"])
    await play(simulator, listener, 1)
    status = await sync_to_async(HeartbeatStatus.load)()
    assert "serverShutdown" in status.last_error and status.coherent


async def test_the_connection_is_replaced_before_its_maximum_age_without_waiting_nor_losing_a_candle(
    simulator, listener, start_heartbeat
):
    await start_heartbeat(max_age_seconds=0.3)
    minutes = [START + timedelta(minutes=i) for i in range(4)]
    while not all(listener.candle("BTC/USDT", "1m", minute) for minute in minutes):
        await simulator.step()  # le marché continue pendant les relèves ; les trous se rattrapent
        await asyncio.sleep(0.1)
        assert simulator.feed.clock < ms(START) + 20 * 60_000, "bougies perdues"
    assert simulator.connections >= 3 and fast_sleep.delays == []
    assert set(listener.keys().values()) == {1}


async def test_binance_pings_are_answered_by_the_library(start_heartbeat):
    feed = RandomWalkFeed(start_ms=ms(START), updates_per_minute=2)
    strict = await BinanceSimulator(feed, ping_interval=0.1, ping_timeout=0.2).start()
    try:
        await start_heartbeat(ws_url=strict.ws_url, rest_url=strict.rest_url, wait_subscribed=False)
        await subscribed(strict, ["BTC/USDT"])
        await asyncio.sleep(1.5)  # une quinzaine de pings sans aucune donnée
        assert strict.connections == 1 and fast_sleep.delays == []
    finally:
        await strict.stop()
