"""« Tout couper » sur paper par l'API : activations, une position de webhook, une position manuelle, des ordres
limite ouverts et une protection OCO → plus aucun ordre ni position d'Aristobot, les autres pièces de l'utilisateur
intactes, les activations suspendues, le rapport rendu et envoyé (cloche, Telegram, e-mail) ; rien chez bob."""

from decimal import Decimal

import pytest

from apps.alerts.models import AlertDelivery, AlertEvent
from apps.alerts.tests.conftest import ALICE_CHAT
from apps.brokers.models import Broker, PaperBalance, PaperOrder
from apps.orders import books
from apps.orders.models import Position, Trade
from apps.panic.models import CutRun, EntryHalt
from apps.panic.tests.conftest import aristobot_left
from apps.trading_engine.models import ActiveStrategy
from testing.activations import activate, new_strategy
from testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)
ETH = "ETH/USDT"


def wallet(broker) -> dict[str, Decimal]:
    return {row.currency: row.free + row.used for row in PaperBalance.objects.filter(broker=broker)}


def running_sma(user, broker, symbol="BTC/USDT"):
    """La stratégie SMA « SMA <paire> » de `user`, en marche sur `symbol` avec 1 000 USDT."""
    return activate(user, new_strategy(user, name=f"SMA {symbol}"), broker, symbol=symbol, amount="1000")


@pytest.fixture
def world(alice, bob, paper_broker, candle, place):
    """Les pièces d'alice hors d'Aristobot : 0,3 BTC et 1 ETH ; puis tout ce qu'Aristobot tient pour elle."""
    candle("50000")
    candle("3000", symbol=ETH)
    for currency, free in (("USDT", "10000"), ("BTC", "0.3"), ("ETH", "1")):
        PaperBalance.objects.create(broker=paper_broker, currency=currency, free=Decimal(free))
    btc_activation, eth_activation = running_sma(alice, paper_broker), running_sma(alice, paper_broker, ETH)
    # Activation BTC : position protégée par OCO ; activation ETH : son achat limite en cours.
    place(
        alice,
        paper_broker,
        source="strategy",
        quantity=Decimal("0.02"),
        active_strategy_id=btc_activation.pk,
        stop_loss=Decimal("45000"),
        take_profit=Decimal("55000"),
    )
    entry = {"price": Decimal("2500"), "active_strategy_id": eth_activation.pk}
    place(alice, paper_broker, source="strategy", quantity=Decimal("0.1"), symbol=ETH, order_type="limit", **entry)
    place(
        alice,
        paper_broker,
        source="webhook",
        quantity=Decimal("0.01"),
        book=books.webhook("tv-btc"),
        stop_loss=Decimal("44000"),
    )
    place(
        alice, paper_broker, quantity=Decimal("0.5"), symbol=ETH, stop_loss=Decimal("2700"), take_profit=Decimal("3300")
    )
    place(alice, paper_broker, quantity=Decimal("0.01"), order_type="limit", price=Decimal("40000"))
    # bob : son broker, son activation, sa position
    bobs = Broker.objects.create(user=bob, name="Paper bob", exchange="paper")
    bob_activation = running_sma(bob, bobs)
    place(bob, bobs, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("55000"))
    assert Position.objects.filter(user=alice, status="open").count() == 3
    assert PaperOrder.objects.filter(broker=paper_broker, status="open", order_list__gt="").exists()  # OCO
    return {"bob_broker": bobs, "bob_activation": bob_activation}


def test_the_preview_lists_what_will_happen_per_broker(alice_api, paper_broker, world):
    preview = alice_api.get("/api/panic/preview/").data

    assert (preview["activations"], preview["positions"]) == (2, 3)
    # 2 achats limite + les jambes : OCO de l'activation (2), stop du webhook (1), OCO manuel (2)
    assert preview["orders"] == 7
    (row,) = preview["brokers"]
    assert (row["id"], row["name"], row["positions"]) == (paper_broker.pk, "Démo", 3)
    assert any("webhook « tv-btc »" in text for text in row["position_list"])
    assert preview["halts"] == [] and preview["last_run"] is None
    assert Trade.objects.filter(user__username="alice", status="open").count() == 7
    assert aristobot_left(world["bob_broker"].user) == (2, 1)


def test_cut_everything_leaves_no_aristobot_order_nor_position_and_spares_other_coins(
    alice, bob, alice_api, paper_broker, world, alice_linked, telegram, smtp, drain
):
    response = alice_api.post("/api/panic/", {}, format="json")

    assert response.status_code == 200, response.data
    wait_until(lambda: aristobot_left(alice) == (0, 0), 30, lambda: f"restant : {aristobot_left(alice)}")
    assert wallet(paper_broker)["BTC"] == Decimal("0.3") and wallet(paper_broker)["ETH"] == Decimal("1")
    assert not PaperOrder.objects.filter(broker=paper_broker, status="open").exists()
    assert set(ActiveStrategy.objects.filter(user=alice).values_list("state", flat=True)) == {"suspended"}
    sales = Trade.objects.filter(user=alice, side="sell", role="", status="filled").values_list("book", flat=True)
    btc_activation = ActiveStrategy.objects.get(symbol="BTC/USDT", user=alice)
    assert sorted(sales) == sorted([books.MANUAL, books.webhook("tv-btc"), books.activation(btc_activation.pk)])
    sold = Position.objects.get(book=books.activation(btc_activation.pk))
    assert sold.realized_pnl < 0 and btc_activation.current_balance == Decimal("1000") + sold.realized_pnl  # frais
    report = response.data["report"]
    assert response.data["started"] is True and response.data["status"] == "done"
    assert report["counts"] == {"activations": 2, "orders": 2, "positions": 3}
    assert report["left"] == [] and report["text"].endswith("Reste : rien.")
    assert EntryHalt.objects.filter(user=alice, broker=None).exists()
    # bob n'est pas touché
    assert aristobot_left(bob) == (2, 1)
    assert ActiveStrategy.objects.get(pk=world["bob_activation"].pk).state == "running"

    # le rapport : dans la cloche, au faux Telegram et par e-mail (livraisons enregistrées)
    event = AlertEvent.objects.get(user=alice, kind="cut_report")
    assert event.text == report["text"] and event.text.startswith("Tout couper (tous les brokers) : 2 activation(s)")
    drain()
    assert "3 position(s) vendue(s) au marché" in telegram.wait_for_message(ALICE_CHAT, "Tout couper")
    assert smtp.wait_for("alice@example.com", "Tout couper")["subject"] == "Aristobot : Rapport de « Tout couper »"
    assert set(AlertDelivery.objects.filter(event=event, status="sent").values_list("channel", flat=True)) == {
        "telegram",
        "email",
    }
    shown = alice_api.get("/api/panic/").data
    assert shown["last_run"]["id"] == CutRun.objects.get().pk and shown["halts"][0]["broker_name"] == "tous les brokers"


def test_one_broker_only_and_resume_entries(alice, alice_api, paper_broker, world, place):
    other = Broker.objects.create(user=alice, name="Autre paper", exchange="paper")
    place(alice, other, quantity=Decimal("0.01"), stop_loss=Decimal("45000"))

    response = alice_api.post("/api/panic/", {"broker": paper_broker.pk}, format="json")

    assert response.data["scope"] == "Démo" and response.data["report"]["left"] == []
    assert Position.objects.get(user=alice, status="open").broker_id == other.pk
    assert list(EntryHalt.objects.values_list("broker_id", flat=True)) == [paper_broker.pk]
    resumed = alice_api.post("/api/panic/resume/", {"broker": paper_broker.pk}, format="json").data
    assert resumed["resumed"] == 1 and resumed["halts"] == []
