"""Les bougies clôturées au même instant partent en un seul message `candles`, unité par unité, dans l'ordre."""

import asyncio
import json
from datetime import timedelta

import aiohttp
import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from apps.core.symbols import market_id
from apps.heartbeat.bars import TIMEFRAMES
from apps.heartbeat.binance import stream_name
from apps.heartbeat.pipeline import Pipeline
from apps.heartbeat.rest import RestKlines
from apps.heartbeat.status import StatusTracker
from apps.heartbeat.tests.conftest import START, UPDATES_PER_MINUTE
from apps.heartbeat.writer import CandleWriter
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)

SYMBOLS = ["BTC/USDT", "ETH/USDT"]
MIDNIGHT_CLOSE = (START + timedelta(minutes=10) - timedelta(milliseconds=1)).isoformat()


async def no_shutdown() -> None:
    raise AssertionError("aucun serverShutdown attendu")


async def test_candles_closed_together_leave_in_one_message_by_increasing_timeframe(simulator, listener):
    for symbol in SYMBOLS:
        simulator.feed.ensure(market_id(symbol))
    status = StatusTracker()
    writer = CandleWriter(status=status)
    writing = asyncio.create_task(writer.run())
    try:
        async with aiohttp.ClientSession() as http:
            pipeline = Pipeline(
                rest=RestKlines(http, simulator.rest_url), status=status, writer=writer, on_server_shutdown=no_shutdown
            )
            pipeline.set_symbols(SYMBOLS)
            for _ in range(10 * UPDATES_PER_MINUTE):  # 23:50 → minuit, les deux symboles dans chaque lot
                _, events = simulator.feed.advance()
                await pipeline.handle(
                    [
                        json.dumps({"stream": stream_name(symbol), "data": event})
                        for symbol, event in zip(SYMBOLS, events, strict=True)
                    ]
                )
        midnight = await eventually(
            lambda: next((wave for wave in listener.waves if wave[0]["close_time"] == MIDNIGHT_CLOSE), None)
        )
        writer.flush()
        await eventually(lambda: not writer.jobs)
    finally:
        writing.cancel()
        await sync_to_async(connections.close_all)()

    # Minuit ferme toutes les unités : 16 bougies en un message, les 1m d'abord, les 4h en dernier.
    assert [(c["timeframe"], c["symbol"]) for c in midnight] == [(tf, s) for tf in TIMEFRAMES for s in SYMBOLS]
    # Chaque vague (rattrapage de 20:00 à 23:50 compris) : un seul instant, unités croissantes, deux symboles.
    closes = [wave[0]["close_time"] for wave in listener.waves]
    assert len(closes) == len(set(closes)) == 240
    for wave in listener.waves:
        assert {c["close_time"] for c in wave} == {wave[0]["close_time"]}
        order = [TIMEFRAMES.index(c["timeframe"]) for c in wave]
        assert order == sorted(order)
        assert {c["symbol"] for c in wave} == set(SYMBOLS)
    assert len(listener.candles) == len(set(listener.keys())) == 2 * (240 + 80 + 48 + 24 + 16 + 4 + 2 + 1)


async def test_during_a_burst_the_raw_stream_waits_and_closed_candles_do_not(simulator, listener):
    """Le flux brut (affichage) attend la fin d'une rafale : les vagues partent lot par lot, le flux brut une fois,
    avec tous les événements, dès que plus rien n'attend."""
    for symbol in SYMBOLS:
        simulator.feed.ensure(market_id(symbol))
    status = StatusTracker()
    writer = CandleWriter(status=status)
    writing = asyncio.create_task(writer.run())
    waiting = [True]
    try:
        async with aiohttp.ClientSession() as http:
            pipeline = Pipeline(
                rest=RestKlines(http, simulator.rest_url), status=status, writer=writer, on_server_shutdown=no_shutdown
            )
            pipeline.set_symbols(SYMBOLS)
            batches = []
            for _ in range(2 * UPDATES_PER_MINUTE):
                _, events = simulator.feed.advance()
                batches.append(
                    [json.dumps({"stream": stream_name(s), "data": e}) for s, e in zip(SYMBOLS, events, strict=True)]
                )
            for batch in batches[:-1]:
                await pipeline.handle(batch, more_waiting=lambda: waiting[0])
            await eventually(lambda: len(listener.waves) >= 1)
            held = len(listener.streams)
            waiting[0] = False
            await pipeline.handle(batches[-1], more_waiting=lambda: waiting[0])
            await eventually(lambda: len(listener.streams) == 1)
        writer.flush()
        await eventually(lambda: not writer.jobs)
    finally:
        writing.cancel()
        await sync_to_async(connections.close_all)()

    assert held == 0
    assert len(listener.streams[0]["events"]) == 2 * len(batches)
