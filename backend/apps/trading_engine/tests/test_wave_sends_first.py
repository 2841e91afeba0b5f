"""Une vague passe ses ordres d'abord : sans ticker ni myTrades avant ou après l'envoi (le prix de référence est la
clôture de la bougie, les exécutions viennent de la réponse), contextes de toutes les activations en quelques
requêtes, et le suivi d'un ordre accusé attend les envois des autres (`sends.py`)."""

import threading
import time
from decimal import Decimal

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.orders.models import Position, Trade
from apps.trading_engine import sends
from apps.trading_engine.services import decisions
from apps.trading_engine.tests.conftest import as_wave

RISING = [50000, 50100, 50000, 50200]
SYMBOLS = ["BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT"]


@pytest.mark.django_db(transaction=True)
async def test_a_wave_of_entries_asks_no_ticker_and_no_fills_and_uses_the_candle_close(
    alice, strategy, make_broker, fake_binance, activate, store_candles, new_cycle
):
    broker = await sync_to_async(make_broker)(alice)
    waves = []
    for symbol in SYMBOLS[:2]:
        await sync_to_async(activate)(alice, strategy, broker, symbol=symbol, amount="500")
        waves.append(as_wave((await sync_to_async(store_candles)(RISING, symbol=symbol))[-1]))
    fake_binance.prices["ETHUSDT"] = Decimal("3000")  # le ticker dirait autre chose que la clôture (50 200)

    await new_cycle().on_wave(waves)

    trades = await sync_to_async(list)(Trade.objects.filter(source="strategy", role="").order_by("symbol"))
    assert [(t.symbol, t.side, t.status, t.error) for t in trades] == [
        (s, "buy", "filled", "") for s in sorted(SYMBOLS[:2])
    ]
    assert fake_binance.count("/api/v3/ticker/24hr") == 0 and fake_binance.count("/api/v3/ticker/price") == 0
    assert fake_binance.count("/api/v3/myTrades") == 0
    assert all(t.fees for t in trades)  # frais de la réponse FULL
    # 100 USDT frais compris à la clôture 50 200 : 0,00199 BTC (pas 0,00001), 0,0019 ETH (pas 0,0001) ; au ticker
    # de 3 000, l'ETH aurait été 0,0333.
    assert {t.symbol: str(t.quantity.normalize()) for t in trades} == {"BTC/USDT": "0.00199", "ETH/USDT": "0.0019"}
    positions = await sync_to_async(Position.objects.filter(status="open").count)()
    assert positions == 2


@pytest.mark.django_db(transaction=True)
def test_the_contexts_of_a_wave_take_the_same_queries_for_one_or_four_activations(
    alice, strategy, make_broker, activate
):
    broker = make_broker(alice)
    activations = [activate(alice, strategy, broker, symbol=symbol) for symbol in SYMBOLS]
    Position.objects.create(
        user=alice,
        broker=broker,
        symbol="BTC/USDT",
        source="strategy",
        active_strategy_id=activations[0].pk,
        status="closed",
        realized_pnl="12.5",
    )

    decisions.wave_contexts(activations)  # le P&L réalisé change le solde : enregistré et annoncé une fois
    with CaptureQueriesContext(connection) as one:
        decisions.wave_contexts(activations[:1])
    with CaptureQueriesContext(connection) as four:
        contexts = decisions.wave_contexts(activations)

    assert len(four.captured_queries) == len(one.captured_queries) <= 3
    assert contexts[activations[0].pk].balance == Decimal("512.5")
    assert [contexts[a.pk].position for a in activations] == [None] * 4


def test_an_acknowledged_order_waits_for_the_other_sends_of_its_wave():
    gate = sends.SendsFirst(2)
    first, second = gate.ticket(), gate.ticket()
    released = []
    waiting = threading.Thread(target=lambda: (first.sent_then_wait(), released.append(time.monotonic())))
    waiting.start()
    time.sleep(0.2)
    assert not released  # le second n'est pas encore parti

    sent_at = time.monotonic()
    second.sent()
    second.sent()  # une seule fois par ticket
    waiting.join(timeout=2)

    assert released and released[0] >= sent_at


def test_a_send_that_never_ends_holds_the_others_only_for_a_bounded_time(monkeypatch):
    monkeypatch.setattr(sends, "WAIT_SECONDS", 0.2)
    gate = sends.SendsFirst(3)
    follow_up = threading.Thread(target=gate.ticket().sent_then_wait, daemon=True)
    follow_up.start()
    # Borne large : sans WAIT_SECONDS, ce suivi attendrait pour toujours les deux envois qui ne viennent pas.
    follow_up.join(timeout=10)
    assert not follow_up.is_alive()
