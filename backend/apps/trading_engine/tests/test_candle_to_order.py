"""Une bougie clôturée → décision → ordre, par la vraie classe `binance` de CCXT contre le faux Binance ; la même
vague deux fois, ou un redémarrage, ne passe pas de second ordre."""

import asyncio
import re

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer

from apps.core.channels import HEARTBEAT_GROUP, candles_event, user_group
from apps.orders.models import Position, Trade
from apps.strategies.services.runners import runner_for
from apps.strategies.tests.conftest import assert_confined
from apps.trading_engine.engine import TradingEngine
from apps.trading_engine.tests.conftest import as_wave
from testing.candles import closed_candle
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)
DECIDED = re.compile(r"^strategy-\d+-\d+$")  # strategy-<activation>-<bougie> ; les jambes : strategy-p…


def decided_orders(fake) -> list[dict]:
    """Les ordres décidés par le moteur chez le faux Binance (sans les jambes de protection)."""
    return [o for o in fake.orders.values() if DECIDED.match(o["clientOrderId"])]


@pytest.fixture
def binance_activation(alice, strategy, make_broker, fake_binance, activate):
    return activate(alice, strategy, make_broker(alice), amount="500")


async def user_messages(user_id):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(user_group(user_id), channel)
    received = []

    async def receive():
        while True:
            received.append((await layer.receive(channel))["message"])

    return received, asyncio.create_task(receive())


async def test_a_rising_close_buys_through_the_engine_with_the_strategy_stop_and_target(
    binance_activation, store_candles, fake_binance, alice
):
    stored = await sync_to_async(store_candles)([50000, 50100, 50000, 50200])
    messages, listening = await user_messages(alice.pk)
    engine = TradingEngine()
    stop = asyncio.Event()
    running = asyncio.create_task(engine.run(stop))
    wave = as_wave(stored[-1])
    data = closed_candle("BTC/USDT", "1m", "50200", int(wave.open_time.timestamp() * 1000))

    def heard():
        """La vague, renvoyée tant que le moteur (qui rejoint le groupe après son préchargement) ne l'a pas
        traitée : une même vague ne donne qu'un ordre."""
        async_to_sync(get_channel_layer().group_send)(HEARTBEAT_GROUP, candles_event([data]))
        return Trade.objects.filter(source="strategy", role="").exclude(status="pending").first()

    trade = await eventually(sync_to_async(heard), timeout=60)
    await asyncio.to_thread(assert_confined, runner_for(alice.pk))  # le moteur passe par un runner confiné
    stop.set()
    await asyncio.wait_for(running, timeout=10)
    assert (trade.side, trade.type, trade.status, trade.symbol) == ("buy", "market", "filled", "BTC/USDT")
    assert trade.client_order_id == f"strategy-{binance_activation.pk}-{int(wave.open_time.timestamp() * 1000)}"
    # 100 de cotation, frais compris, au prix de 50 000 du faux Binance, arrondi au pas de 0,00001.
    assert str(trade.quantity) == "0.001990000000000000"
    assert (trade.stop_loss, trade.take_profit) == (wave.close * 9 / 10, wave.close * 11 / 10)
    assert len(decided_orders(fake_binance)) == 1
    # La position s'ouvre et se protège sur l'exchange (OCO), rattachée à l'activation.
    position = await eventually(
        sync_to_async(lambda: Position.objects.filter(active_strategy_id=binance_activation.pk).first()), timeout=60
    )
    assert (position.status, position.protection, position.source) == ("open", "oco", "strategy")
    assert (position.stop_loss, position.take_profit) == (trade.stop_loss, trade.take_profit)
    legs = await sync_to_async(list)(
        Trade.objects.filter(position=position).exclude(role="").values_list("role", flat=True)
    )
    assert sorted(legs) == ["stop_loss", "take_profit"]
    await sync_to_async(binance_activation.refresh_from_db)()
    assert binance_activation.last_decision.startswith("Achat : 0,00199 BTC/USDT à 50\u202f000")
    assert binance_activation.last_candle_at == wave.open_time
    await eventually(lambda: {"order", "active_strategy", "strategy_decision"} <= {m["type"] for m in messages})
    listening.cancel()
    decision = next(m["data"] for m in messages if m["type"] == "strategy_decision")
    assert (decision["active_strategy"], decision["action"]) == (binance_activation.pk, "long")


async def test_the_same_wave_twice_or_after_a_restart_orders_once(
    new_cycle, binance_activation, store_candles, fake_binance
):
    stored = await sync_to_async(store_candles)([50000, 50100, 50000, 50200])
    wave = [as_wave(stored[-1])]

    await new_cycle().on_wave(wave)
    cycle = new_cycle()
    await cycle.on_wave(wave)
    await cycle.on_wave(wave)
    await sync_to_async(type(binance_activation).objects.filter(pk=binance_activation.pk).update)(last_candle_at=None)
    await new_cycle().on_wave(wave)  # redémarrage après un ordre passé mais non noté : même identifiant client

    assert len(decided_orders(fake_binance)) == 1
    assert await sync_to_async(Trade.objects.filter(source="strategy", role="").count)() == 1


async def test_a_falling_close_sells_the_position_and_the_balance_follows(
    new_cycle, binance_activation, store_candles, fake_binance
):
    stored = await sync_to_async(store_candles)([50000, 50100, 50000, 50200, 50100])
    cycle = new_cycle()
    await cycle.on_wave([as_wave(stored[-2])])
    fake_binance.prices["BTCUSDT"] = fake_binance.prices["BTCUSDT"] * 2

    await cycle.on_wave([as_wave(stored[-1])])

    sides = await sync_to_async(list)(
        Trade.objects.filter(source="strategy", role="").order_by("id").values_list("side", "status")
    )
    assert sides == [("buy", "filled"), ("sell", "filled")]
    await sync_to_async(binance_activation.refresh_from_db)()
    # Achat au montant (quoteOrderQty 99,9) : 0,00199 à 50 000 = 99,5 USDT, frais en BTC comme chez Binance
    # (0,00000199) ; détenus 0,00198801, vendus 0,00198 au pas (reliquat 0,00000801) à 100 000 : 198 − 0,198 de
    # frais, pour un coût de 99,5 × 0,00198 / 0,00198801 = 99,0990995… : +98,7029009.
    assert str(binance_activation.current_balance) == "598.70290090"
    assert binance_activation.last_decision.startswith("Vente : 0,00198 BTC/USDT à 100\u202f000")


async def test_a_suspended_or_out_of_window_activation_does_not_decide(
    new_cycle, binance_activation, store_candles, fake_binance
):
    stored = await sync_to_async(store_candles)([50000, 50100, 50000, 50200])
    binance_activation.state = "suspended"
    await sync_to_async(binance_activation.save)()
    await new_cycle().on_wave([as_wave(stored[-1])])
    assert decided_orders(fake_binance) == []
