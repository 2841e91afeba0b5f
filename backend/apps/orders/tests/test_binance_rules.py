"""Aristobot contre un faux Binance aussi strict que Binance : marché « difficile » (pas de prix 0,01, pas de
quantité 0,00001, minimum 5 USDT, prix à huit décimales), limite de 5 ordres stop/take-profit par paire,
horloge de l'exchange en avance de 10 s. Tout est accepté, ou refusé en français avant l'envoi."""

import logging
import re
import time
from decimal import Decimal

import pytest

from apps.alerts.models import AlertEvent
from apps.core.exceptions import RateLimited
from apps.orders import books
from apps.orders.models import Position, Trade
from testing.activations import activate, new_strategy
from testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

PRICE = Decimal("76553.69")


def posted(fake, path):
    return [params for method, seen, params in fake.requests if (method, seen) == ("POST", path)]


@pytest.fixture
def awkward(fake_binance):
    fake_binance.prices["BTCUSDT"] = PRICE
    fake_binance.balances["USDT"] = [Decimal("10000"), Decimal("0")]
    return fake_binance


def test_a_protected_market_buy_with_many_decimals_gets_its_oco(binance_broker, awkward, order):
    trade = order(
        binance_broker,
        amount=Decimal("100"),
        stop_loss=Decimal("70123.45678901"),
        take_profit=Decimal("80987.65432109"),
    )

    assert trade.status == Trade.Status.FILLED
    position = Position.objects.get()
    assert position.protection == Position.Protection.OCO and position.protection_note == ""
    [oco] = posted(awkward, "/api/v3/orderList/oco")
    # Du côté sûr : objectif vers le haut, stop vers le bas, limite du stop (70123.45 × 0,995) vers le bas.
    assert (oco["abovePrice"], oco["belowStopPrice"], oco["belowPrice"]) == ("80987.66", "70123.45", "69772.83")
    assert awkward.refused == []


def test_a_limit_buy_off_the_tick_and_the_step_is_rounded_down_and_accepted(binance_broker, awkward, order):
    trade = order(binance_broker, order_type="limit", quantity=Decimal("0.001234567"), price=Decimal("76000.69983887"))

    assert trade.status == Trade.Status.OPEN
    [sent] = posted(awkward, "/api/v3/order")
    assert (sent["quantity"], sent["price"]) == ("0.00123", "76000.69")
    assert awkward.refused == []


def test_a_limit_sell_off_the_tick_is_rounded_up(binance_broker, awkward, order):
    trade = order(
        binance_broker, side="sell", order_type="limit", quantity=Decimal("0.001"), price=Decimal("80000.001")
    )

    assert trade.status == Trade.Status.OPEN and trade.price == Decimal("80000.01")
    assert awkward.refused == []


def test_a_buy_under_the_minimum_notional_is_refused_in_french_before_sending(binance_broker, awkward, order):
    trade = order(binance_broker, amount=Decimal("4.5"))

    assert trade.status == Trade.Status.REJECTED
    assert trade.error.startswith("Montant ") and "inférieur au minimum de 5 USDT" in trade.error
    assert posted(awkward, "/api/v3/order") == []


def test_an_oco_whose_stop_leg_is_under_the_minimum_is_not_sent_and_the_stop_is_watched(binance_broker, awkward, order):
    order(binance_broker, quantity=Decimal("0.00007"), stop_loss=Decimal("70000"), take_profit=Decimal("80000"))

    position = Position.objects.get()
    assert posted(awkward, "/api/v3/orderList/oco") == []
    sells = [p["type"] for p in posted(awkward, "/api/v3/order") if p["side"] == "SELL"]
    assert sells == ["TAKE_PROFIT_LIMIT"]  # 5,6 USDT : au-dessus du minimum
    assert position.protection == Position.Protection.ORDERS
    assert position.protection_note.startswith("Stop-loss surveillé par Aristobot : OCO refusé (")
    assert "sous le minimum de 5 USDT pour BTC/USDT (non envoyé)" in position.protection_note
    assert awkward.refused == []


def test_a_symbol_with_five_algo_orders_gets_a_watched_position_without_sending(binance_broker, awkward, order):
    awkward.balances["BTC"] = [Decimal("1"), Decimal("0")]
    for _ in range(5):  # posés sur le site de Binance, hors d'Aristobot
        awkward.place_outside("BTCUSDT", "STOP_LOSS_LIMIT", Decimal("0.001"), Decimal("70000"), Decimal("70100"))

    order(binance_broker, quantity=Decimal("0.001"), stop_loss=Decimal("70000"), take_profit=Decimal("80000"))

    position = Position.objects.get()
    assert position.protection == Position.Protection.WATCHED
    assert position.protection_note == (
        "Surveillé par Aristobot : Limite d'ordres stop/take-profit atteinte sur Binance : 5 ordres stop/take-profit "
        "déjà ouverts sur BTC/USDT, le maximum permis (non envoyé)."
    )
    assert posted(awkward, "/api/v3/orderList/oco") == []
    assert [p for p in posted(awkward, "/api/v3/order") if p["side"] == "SELL"] == []


def test_the_exchange_refusing_a_sixth_algo_order_leaves_the_position_watched(binance_broker, awkward, order):
    order(binance_broker, side="buy", amount=Decimal("20"))  # marchés chargés avec la limite annoncée (5)
    awkward.set_filter("BTCUSDT", "MAX_NUM_ALGO_ORDERS", maxNumAlgoOrders=0)  # changée depuis sur l'exchange

    order(binance_broker, quantity=Decimal("0.001"), stop_loss=Decimal("70000"), take_profit=Decimal("80000"))

    position = Position.objects.get()
    assert position.protection == Position.Protection.WATCHED
    assert "Filter failure: MAX_NUM_ALGO_ORDERS" in position.protection_note
    assert len(posted(awkward, "/api/v3/orderList/oco")) == 1
    assert [p for p in posted(awkward, "/api/v3/order") if p["side"] == "SELL"] == []  # rien d'autre essayé


def test_an_exchange_clock_ten_seconds_ahead_still_places_orders_and_shows_in_the_status(
    binance_broker, awkward, order, alice_api
):
    awkward.clock_offset_ms = 10_000

    trade = order(binance_broker, quantity=Decimal("0.001"), stop_loss=Decimal("70000"), take_profit=Decimal("80000"))

    assert trade.status == Trade.Status.FILLED
    assert Position.objects.get().protection == Position.Protection.OCO
    assert awkward.refused == []
    clock = alice_api.get("/api/status/").json()["clock"]  # mesuré par la porte, lu par la barre de statut
    assert re.fullmatch(r"Horloge du PC en retard de (9,9|10,0|10,1) s sur Binance \(compensé\)", clock), clock


def test_a_drift_after_start_is_resynced_and_the_order_placed_once(binance_broker, awkward, order, caplog):
    order(binance_broker, quantity=Decimal("0.001"))
    awkward.clock_offset_ms = 10_000  # l'horloge du PC a dérivé depuis le démarrage

    with caplog.at_level(logging.WARNING, logger="aristobot.exchanges"):
        trade = order(binance_broker, side="sell", quantity=Decimal("0.001"))

    assert trade.status == Trade.Status.FILLED
    assert [code for code, _ in awkward.refused] == [-1021]  # refusé une fois, rien n'est posé
    assert len(posted(awkward, "/api/v3/order")) == 3 and len(awkward.orders) == 2
    assert "horloge décalée" in caplog.text


def test_a_429_storm_ends_without_a_ban(binance_broker, awkward, exchange_door, settings):
    settings.CCXT_RETRIES = 5
    awkward.weight_limit, awkward.weight_window = 40, 2
    symbols = [f"{base}/USDT" for base in ("BTC", "ETH")]
    exchange_door.sync.markets(binance_broker)

    for _ in range(3):
        prices = exchange_door.run(exchange_door.last_prices(binance_broker, symbols * 12), timeout=30)
        assert all(price is not None for price in prices.values())

    assert awkward.banned_until == 0
    assert not [code for code, _ in awkward.refused if code != -1003]


def test_a_ban_stops_every_call_until_it_ends_with_one_alert(
    binance_broker, awkward, exchange_door, caplog, bob, make_broker
):
    make_broker(bob, is_testnet=True)  # le testnet a ses propres serveurs : pas banni
    exchange_door.sync.balances(binance_broker)
    awkward.banned_until = time.time() + 120

    with caplog.at_level(logging.ERROR, logger="aristobot.exchanges"):
        for _ in range(3):
            with pytest.raises(RateLimited, match="accès suspendu par l'exchange jusqu'à"):
                exchange_door.sync.balances(binance_broker)

    assert awkward.count("/api/v3/account") == 2  # le premier appel banni, puis plus rien
    assert caplog.text.count("a banni cette IP") == 1
    wait_until(AlertEvent.objects.exists, 10)  # l'alerte part d'un fil de la porte
    [alert] = AlertEvent.objects.all()
    assert (alert.user_id, alert.kind) == (binance_broker.user_id, "exchange_banned")
    assert alert.text.startswith("Binance a suspendu l'accès de cette machine (trop de requêtes) jusqu'à ")


def test_six_positions_from_three_sources_past_the_algo_limit_the_sixth_is_watched(
    alice, binance_broker, awkward, place
):
    activation = activate(alice, new_strategy(alice, "x = 1\n", name="Suiveuse"), binance_broker)
    webhook = [{"source": "webhook", "book": books.webhook(name)} for name in ("alpha", "beta", "gamma", "delta")]
    sources = [
        {"source": "manual"},
        webhook[0],
        {"source": "strategy", "active_strategy_id": activation.pk},
        *webhook[1:],
    ]

    trades = [
        place(
            alice,
            binance_broker,
            quantity=Decimal("0.001"),
            stop_loss=Decimal("70000.123456"),
            take_profit=Decimal("80000.987654"),
            **origin,
        )
        for origin in sources
    ]

    assert [trade.status for trade in trades] == [Trade.Status.FILLED] * 6
    positions = {position.book: position for position in Position.objects.all()}
    assert len(positions) == 6
    protections = [positions[trade.book].protection for trade in trades]
    assert protections == [Position.Protection.OCO] * 5 + [Position.Protection.WATCHED]
    assert positions[trades[-1].book].protection_note.startswith(
        "Surveillé par Aristobot : Limite d'ordres stop/take-profit atteinte sur Binance : 5 ordres"
    )
    assert len(posted(awkward, "/api/v3/orderList/oco")) == 5  # le sixième n'est pas envoyé
    assert awkward.refused == []
