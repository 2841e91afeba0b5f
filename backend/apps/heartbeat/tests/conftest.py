"""Le petit monde du heartbeat : un faux Binance local joué pas à pas, le vrai service, un abonné aux groupes."""

import asyncio
from collections import Counter
from datetime import UTC, datetime

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connections

from apps.core.channels import HEARTBEAT_GROUP, STATUS_GROUP, STREAM_GROUP
from apps.heartbeat.bars import MINUTE_MS
from apps.heartbeat.models import HeartbeatConfig
from apps.heartbeat.service import HeartbeatService
from apps.heartbeat.simulator.feeds import RandomWalkFeed
from apps.heartbeat.simulator.server import BinanceSimulator
from testing.waiting import eventually

# Dix minutes avant minuit UTC : les bougies 10m, 15m, 1h, 2h, 4h se ferment à minuit.
START = datetime(2024, 3, 1, 23, 50, tzinfo=UTC)
UPDATES_PER_MINUTE = 2  # une mise à jour à :30, la clôture à :00


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class Listener:
    """Abonné aux groupes heartbeat, stream_brut et status, comme le moteur ou un navigateur."""

    def __init__(self):
        self.layer = get_channel_layer()
        self.waves: list[list[dict]] = []  # un message `candles` par vague
        self.candles: list[dict] = []
        self.streams: list[dict] = []
        self.statuses: list[dict] = []

    async def start(self) -> "Listener":
        self.channel = await self.layer.new_channel()
        for group in (HEARTBEAT_GROUP, STREAM_GROUP, STATUS_GROUP):
            await self.layer.group_add(group, self.channel)
        self.task = asyncio.create_task(self._receive())
        return self

    async def _receive(self):
        while True:
            message = (await self.layer.receive(self.channel))["message"]
            if message["type"] == "candles":
                self.waves.append(message["data"]["candles"])
                self.candles += message["data"]["candles"]
            else:
                {"stream": self.streams, "status": self.statuses}[message["type"]].append(message["data"])

    async def stop(self):
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)
        for group in (HEARTBEAT_GROUP, STREAM_GROUP, STATUS_GROUP):
            await self.layer.group_discard(group, self.channel)

    def keys(self) -> Counter:
        return Counter((c["symbol"], c["timeframe"], c["open_time"]) for c in self.candles)

    def candle(self, symbol: str, timeframe: str, open_time: datetime) -> dict | None:
        return next(
            (
                c
                for c in self.candles
                if (c["symbol"], c["timeframe"], c["open_time"]) == (symbol, timeframe, open_time.isoformat())
            ),
            None,
        )

    async def wait_candle(self, symbol: str, timeframe: str, open_time: datetime, timeout: float = 30.0) -> dict:
        return await eventually(
            lambda: self.candle(symbol, timeframe, open_time),
            timeout,
            f"bougie {symbol} {timeframe} {open_time} jamais publiée",
        )

    def raw_events(self) -> list[dict]:
        return [event for stream in self.streams for event in stream["events"]]


@pytest.fixture
async def listener():
    listener = await Listener().start()
    yield listener
    await listener.stop()


@pytest.fixture
async def simulator():
    feed = RandomWalkFeed(start_ms=ms(START), seed=7, updates_per_minute=UPDATES_PER_MINUTE)
    simulator = await BinanceSimulator(feed).start()
    yield simulator
    await simulator.stop()


async def fast_sleep(seconds: float, stop: asyncio.Event) -> None:
    """Remplace l'attente avant reconnexion : on note le délai demandé, on n'attend presque pas."""
    fast_sleep.delays.append(seconds)
    await asyncio.sleep(0.01)


class Running:
    """Un HeartbeatService lancé dans la boucle du test, arrêté comme par SIGTERM."""

    def __init__(self, service: HeartbeatService):
        self.service = service
        self.stop_event = asyncio.Event()
        self.task = asyncio.create_task(service.run(self.stop_event))

    async def stop(self):
        self.stop_event.set()
        await asyncio.wait_for(self.task, timeout=10)


@pytest.fixture
async def start_heartbeat(simulator):
    """`await start_heartbeat(symbols=[...], **options)` : service branché sur le simulateur, abonné."""
    running: list[Running] = []
    fast_sleep.delays = []

    async def start(symbols=("BTC/USDT",), wait_subscribed=True, **options) -> HeartbeatService:
        await sync_to_async(HeartbeatConfig.objects.update_or_create)(pk=1, defaults={"symbols": list(symbols)})
        options = {
            "ws_url": simulator.ws_url,
            "rest_url": simulator.rest_url,
            "status_seconds": 0.05,
            "rest_retry_delay": 0.01,
            "sleep": fast_sleep,
            "jitter": lambda: 1.0,
            **options,
        }
        service = HeartbeatService(**options)
        running.append(Running(service))
        if wait_subscribed:
            await subscribed(simulator, symbols)
        return service

    async def stop_all():
        for item in running:
            if not item.task.done():
                await item.stop()

    start.stop_all = stop_all
    yield start
    await stop_all()
    await sync_to_async(connections.close_all)()  # la connexion du fil des appels ORM du service


async def subscribed(simulator: BinanceSimulator, symbols) -> None:
    streams = {f"{s.replace('/', '').lower()}@kline_1m" for s in symbols}
    await eventually(lambda: streams <= simulator.subscriptions(), message=f"jamais abonné à {streams}")


async def written(service: HeartbeatService) -> None:
    """Attend que le heartbeat ait enregistré tout ce qu'il a publié (l'écriture suit la publication)."""
    await eventually(lambda: not service.writer.jobs, message="bougies publiées jamais enregistrées")


async def play(simulator: BinanceSimulator, listener: Listener, minutes: int, symbols=("BTC/USDT",)) -> None:
    """Joue `minutes` minutes de marché ; à chaque clôture envoyée, attend la 1m publiée par le heartbeat."""
    for _ in range(minutes * UPDATES_PER_MINUTE):
        await simulator.step()
        clock = simulator.feed.clock
        if clock % MINUTE_MS == 0 and not simulator.paused:
            for symbol in symbols:
                await listener.wait_candle(symbol, "1m", datetime.fromtimestamp((clock - MINUTE_MS) / 1000, UTC))


async def replay_recording(path, listener, start_heartbeat, *, until: tuple[str, str, datetime]) -> None:
    """Rejoue l'enregistrement `path` (LTC/BTC) au plus vite dans le heartbeat, jusqu'à la bougie `until`
    (symbole, unité, ouverture) publiée puis tout enregistré."""
    from apps.heartbeat.simulator.feeds import RecordedFeed

    simulator = await BinanceSimulator(RecordedFeed(path), speed=0).start()
    stop = asyncio.Event()
    replay = None
    try:
        service = await start_heartbeat(
            symbols=["LTC/BTC"], ws_url=simulator.ws_url, rest_url=simulator.rest_url, wait_subscribed=False
        )
        await subscribed(simulator, ["LTC/BTC"])
        replay = asyncio.create_task(simulator.run(stop))
        await listener.wait_candle(*until, timeout=20)
        await written(service)
    finally:
        stop.set()
        if replay is not None:
            await replay
        await simulator.stop()
