"""Bougies absentes de la table : demandées à l'exchange par la porte (vraie classe CCXT binance contre le faux
Binance), enregistrées une fois ; 10m construit des 1m ; trous refusés avec leurs plages, ou acceptés et notés."""

from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from apps.backtest.models import BacktestRun
from apps.backtest.tests.conftest import ms_time
from apps.core.channels import BACKTEST, user_group
from apps.market_data.models import Candle
from testing import ltcbtc

pytestmark = pytest.mark.django_db(transaction=True)


def serve(fake, timeframe: str) -> list:
    rows = ltcbtc.btc_usdt_ohlcv(timeframe)
    fake.klines[("BTCUSDT", timeframe)] = [
        [r.open_time_ms, str(r.open), str(r.high), str(r.low), str(r.close), str(r.volume)] for r in rows
    ]
    return rows


def period(rows, step_ms: int) -> tuple:
    return ms_time(rows[0].open_time_ms), ms_time(rows[-1].open_time_ms + step_ms)


def messages(channel: str) -> list[dict]:
    """Les messages de backtest reçus sur `channel` (le groupe de l'utilisateur porte aussi ses alertes)."""
    layer, received = get_channel_layer(), []

    async def collect():
        import asyncio

        while True:
            try:
                received.append((await asyncio.wait_for(layer.receive(channel), 0.3))["message"])
            except TimeoutError:
                return

    async_to_sync(collect)()
    return [message for message in received if message["type"] == BACKTEST]


def test_missing_candles_are_fetched_once_then_read_from_the_table(
    alice, alice_api, fake_binance, make_broker, tested_strategy, request_body, drain
):
    rows = serve(fake_binance, "5m")
    broker, strategy = make_broker(alice), tested_strategy(alice)
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group(alice.pk), channel)

    first = alice_api.post("/api/backtests/", request_body(strategy, broker, period(rows, 300_000)), format="json")
    assert drain() == 1
    run = alice_api.get(f"/api/backtests/{first.data['id']}/").data
    assert run["status"] == "done" and run["bars"] == 865, run["error"]
    assert fake_binance.count("/api/v3/klines") == 1
    stored = Candle.objects.filter(exchange="binance", symbol="BTC/USDT", timeframe="5m")
    assert stored.count() == 865
    assert stored.order_by("open_time").first().close == rows[0].close
    labels = [m["data"]["progress_label"] for m in messages(channel) if m["data"]["phase"] == "download"]
    assert labels and labels[0].startswith("Téléchargement des bougies")

    second = alice_api.post("/api/backtests/", request_body(strategy, broker, period(rows, 300_000)), format="json")
    assert drain() == 1
    again = alice_api.get(f"/api/backtests/{second.data['id']}/").data
    assert fake_binance.count("/api/v3/klines") == 1  # rien redemandé
    assert stored.count() == 865
    assert again["trades"] == run["trades"]


def test_pages_of_minutes_build_10m_and_holes_are_refused_with_their_spans(
    alice, alice_api, fake_binance, make_broker, tested_strategy, request_body, drain
):
    rows = serve(fake_binance, "1m")  # quelques minutes manquent, comme chez Binance
    broker, strategy = make_broker(alice), tested_strategy(alice)
    body = request_body(strategy, broker, period(rows, 60_000), timeframe="1m")

    refused_id = alice_api.post("/api/backtests/", body, format="json").data["id"]
    assert drain() == 1
    refused = BacktestRun.objects.get(pk=refused_id)
    assert fake_binance.count("/api/v3/klines") == 5  # 4 312 minutes, pages de 1 000
    assert refused.status == "failed" and refused.error.startswith("Bougies manquantes sur la période : ")
    assert len(refused.gaps) == 8 and "2018-01-20T09:39:00Z - 2018-01-20T09:40:00Z" in refused.error

    allowed_id = alice_api.post("/api/backtests/", {**body, "allow_gaps": True}, format="json").data["id"]
    assert drain() == 1
    allowed = BacktestRun.objects.get(pk=allowed_id)
    assert allowed.status == "done" and allowed.bars == 4312 and len(allowed.gaps) == 8

    tens_id = alice_api.post("/api/backtests/", {**body, "timeframe": "10m", "allow_gaps": True}, format="json").data[
        "id"
    ]
    assert drain() == 1
    tens = BacktestRun.objects.get(pk=tens_id)
    assert tens.status == "done", tens.error
    built = Candle.objects.filter(symbol="BTC/USDT", timeframe="10m").order_by("open_time")
    first = built.first()
    minutes = [
        r
        for r in rows
        if first.open_time.timestamp() * 1000 <= r.open_time_ms < first.open_time.timestamp() * 1000 + 600_000
    ]
    assert len(minutes) == 10
    assert (first.open, first.high, first.low, first.close, first.volume) == (
        minutes[0].open,
        max(m.high for m in minutes),
        min(m.low for m in minutes),
        minutes[-1].close,
        sum((m.volume for m in minutes), Decimal(0)),
    )
    assert tens.bars == built.count()
    # Chaque 10m qui contient une minute manquante n'est pas construite (comme au heartbeat) : un trou de 10m.
    buckets = {gap["start"][:15] + "0:00Z" for gap in allowed.gaps}
    assert buckets <= {gap["start"] for gap in tens.gaps}
