"""« Tout couper » contre le faux Binance (vraie classe CCXT `binance`, frontière réseau) : une annulation refusée
par l'exchange et une vente sous le minimum de la paire sont dites dans le rapport, jamais cachées ; le reste est
fait, les 0,5 BTC détenus hors d'Aristobot ne sont pas vendus."""

from decimal import Decimal

import pytest

from apps.alerts.models import AlertEvent
from apps.orders import books
from apps.orders.models import Position, Trade
from apps.panic.tests.conftest import aristobot_left
from testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def binance(alice, fake_binance, make_broker):
    return make_broker(alice)


def held_btc(fake) -> Decimal:
    free, locked = fake.balances["BTC"]
    return Decimal(free) + Decimal(locked)


def test_a_cancel_refused_by_binance_is_reported_and_everything_else_is_cut(
    alice, alice_api, binance, fake_binance, place
):
    place(alice, binance, quantity=Decimal("0.002"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    place(
        alice,
        binance,
        source="webhook",
        quantity=Decimal("0.002"),
        book=books.webhook("tv"),
        stop_loss=Decimal("44000"),
    )
    stuck = place(alice, binance, quantity=Decimal("0.001"), order_type="limit", price=Decimal("40000"))
    place(alice, binance, quantity=Decimal("0.001"), order_type="limit", price=Decimal("41000"))
    fake_binance.uncancellable.add(int(stuck.exchange_order_id))
    assert fake_binance.orders_of_type("LIMIT_MAKER") and held_btc(fake_binance) == Decimal("0.504")

    report = alice_api.post("/api/panic/", {"broker": binance.pk}, format="json").data["report"]

    wait_until(lambda: aristobot_left(alice) == (1, 0), 10, lambda: f"restant : {aristobot_left(alice)}")
    assert Trade.objects.get(status="open").pk == stuck.pk
    assert held_btc(fake_binance) == Decimal("0.5")  # les positions vendues, rien de plus
    (left,) = report["left"]
    assert left.startswith(f"Ordre n° {stuck.pk} (achat limite BTC/USDT) sur Binance principal : annulation refusée")
    assert "Internal error" in left
    assert report["counts"] == {"activations": 0, "orders": 1, "positions": 2}
    alert = AlertEvent.objects.get(user=alice, kind="cut_report").text
    assert "Reste 1 : " in alert and f"Ordre n° {stuck.pk}" in alert


def test_a_sale_under_the_minimum_notional_is_reported_and_the_position_stays(
    alice, alice_api, binance, fake_binance, place
):
    place(alice, binance, quantity=Decimal("0.0002"))  # 10 USDT
    fake_binance.prices["BTCUSDT"] = Decimal("20000")  # 4 USDT : sous le minimum de 5 USDT de la paire

    report = alice_api.post("/api/panic/", {}, format="json").data["report"]

    position = Position.objects.get(user=alice)
    assert position.status == Position.Status.OPEN and report["counts"]["positions"] == 0
    (left,) = report["left"]
    assert left.startswith("Position BTC/USDT (trading manuel, 0,0002 BTC) sur Binance principal : vente refusée (")
    assert "la position reste ouverte" in left
