"""Traitement par le worker : un signal valide devient un ordre (service d'ordres), le résultat revient au webhook."""

from decimal import Decimal

import pytest

from apps.brokers.models import PaperBalance, PaperOrder
from apps.orders.models import Trade
from apps.webhooks.models import Webhook

pytestmark = pytest.mark.django_db(transaction=True)


def test_valid_buy_places_one_paper_order_linked_to_the_webhook(alice, alice_token, paper_for, deliver, drain):
    broker = paper_for(alice)

    deliver(alice_token, {"action": "buy", "symbol": "BINANCE:BTCUSDT", "quantity": "0.01", "id": "entrée-1"})
    assert drain() == 1

    webhook = Webhook.objects.get()
    trade = Trade.objects.get()
    assert (webhook.status, webhook.trade, webhook.error) == ("processed", trade, "")
    assert webhook.processed_at is not None and webhook.claimed_until is None
    assert (trade.source, trade.broker, trade.symbol, trade.side, trade.status) == (
        "webhook",
        broker,
        "BTC/USDT",
        "buy",
        "filled",
    )
    assert trade.client_order_id == f"webhook-{webhook.pk}"
    assert PaperOrder.objects.get().amount == Decimal("0.01")
    assert drain() == 0


def test_broker_is_found_by_name_or_by_id(alice, alice_token, paper_for, deliver, drain):
    paper_for(alice)
    other = paper_for(alice, name="Second paper")
    alice.default_broker = None
    alice.save(update_fields=["default_broker"])

    deliver(alice_token, {"action": "buy", "symbol": "BTC/USDT", "amount": 100, "broker": "second PAPER"})
    deliver(alice_token, {"action": "buy", "symbol": "BTC/USDT", "amount": 50, "broker": other.pk})
    drain()

    assert list(Trade.objects.order_by("pk").values_list("broker_id", "amount")) == [(other.pk, 100), (other.pk, 50)]


def test_close_sells_the_open_position_quantity(alice, alice_token, paper_for, deliver, drain):
    broker = paper_for(alice)
    deliver(alice_token, {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.02"})
    deliver(alice_token, {"action": "close", "symbol": "BTCUSDT"})

    drain()

    buy, sell = Trade.objects.order_by("pk")
    # 0,02 achetés, frais payés en BTC : 0,01998 détenus, vendus tels quels
    assert (sell.side, sell.quantity, sell.status, sell.source) == ("sell", Decimal("0.01998"), "filled", "webhook")
    assert PaperBalance.objects.get(broker=broker, currency="BTC").free == 0
    assert set(Webhook.objects.values_list("status", flat=True)) == {"processed"}


def test_unknown_symbol_fails_with_the_french_reason(alice, alice_token, paper_for, deliver, drain):
    paper_for(alice)
    deliver(alice_token, {"action": "buy", "symbol": "DOGEXYZ", "quantity": 1})

    drain()

    webhook = Webhook.objects.get()
    assert (webhook.status, webhook.error) == ("failed", "Paire inconnue sur Démo paper : DOGEXYZ.")
    assert webhook.trade.status == "rejected"
    assert not PaperOrder.objects.exists()


def test_unknown_broker_fails_with_the_french_reason(alice, bob, alice_token, paper_for, deliver, drain):
    paper_for(alice)
    bobs = paper_for(bob, name="Paper de Bob")
    deliver(alice_token, {"action": "buy", "symbol": "BTCUSDT", "quantity": 1, "broker": "Kraken"})
    deliver(alice_token, {"action": "buy", "symbol": "BTCUSDT", "quantity": 1, "broker": bobs.pk})

    drain()

    assert list(Webhook.objects.order_by("pk").values_list("status", "error")) == [
        ("failed", "Broker inconnu : « Kraken » (id ou nom d'un de vos brokers)."),
        ("failed", f"Broker inconnu : « {bobs.pk} » (id ou nom d'un de vos brokers)."),
    ]
    assert not Trade.objects.exists()


def test_no_broker_and_no_default_broker_fails(alice, alice_token, exchange_door, deliver, drain):
    deliver(alice_token, {"action": "buy", "symbol": "BTCUSDT", "quantity": 1})

    drain()

    assert Webhook.objects.get().error == (
        'Aucun broker dans le signal et aucun broker par défaut : ajoutez "broker" '
        "ou choisissez un broker par défaut dans Mon compte."
    )


def test_an_exchange_refusal_is_written_back_on_the_webhook(alice, alice_token, paper_for, deliver, drain):
    paper_for(alice)
    deliver(alice_token, {"action": "buy", "symbol": "BTCUSDT", "quantity": 1})  # 50 000 USDT > 10 000

    drain()

    webhook = Webhook.objects.get()
    assert webhook.status == "failed" and webhook.trade.status in ("rejected", "failed")
    assert webhook.error == webhook.trade.error and webhook.error.startswith("Fonds insuffisants")
