"""Webhook `close` : vend exactement la position ouverte (protection retirée d'abord), jamais d'autres pièces."""

from decimal import Decimal

import pytest

from apps.brokers.models import PaperBalance, PaperOrder
from apps.orders.models import Position, Trade
from apps.webhooks.models import Webhook

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def protected(alice, alice_token, paper_for, deliver, drain):
    """Position webhook de 0,0999 BTC protégée par un OCO paper, plus 1 BTC du compte qu'Aristobot n'a pas acheté."""
    broker = paper_for(alice)
    deliver(
        alice_token,
        {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.1", "stop_loss": "45000", "take_profit": "55000"},
    )
    drain()
    wallet = PaperBalance.objects.get(broker=broker, currency="BTC")
    wallet.free += 1
    wallet.save()
    return Position.objects.get()


def test_the_position_comes_from_the_webhook_and_is_protected(protected):
    webhook = Webhook.objects.get()
    assert (protected.source, protected.webhook_id, protected.protection) == ("webhook", webhook.pk, "oco")
    assert protected.entry_trade.webhook_id == webhook.pk


def test_close_cancels_the_protection_then_sells_only_the_position(protected, alice_token, deliver, drain):
    deliver(alice_token, {"action": "close", "symbol": "BINANCE:BTCUSDT"})

    drain()

    assert list(Webhook.objects.order_by("pk").values_list("status", "error")) == [("processed", ""), ("processed", "")]
    sell = Trade.objects.filter(side="sell", role="").get()
    assert (sell.quantity, sell.status) == (Decimal("0.0999"), "filled")
    assert sell.client_order_id == f"webhook-{Webhook.objects.order_by('pk').last().pk}"
    assert set(PaperOrder.objects.filter(trigger_kind__gt="").values_list("status", flat=True)) == {"canceled"}
    assert PaperBalance.objects.get(currency="BTC").free == Decimal("1")  # les autres pièces restent
    protected.refresh_from_db()
    assert (protected.status, protected.exit_reason) == ("closed", "webhook")
    assert Webhook.objects.order_by("pk").last().status == "processed"


def test_close_of_half_sells_half_and_protects_the_rest(protected, alice_token, deliver, drain):
    deliver(alice_token, {"action": "close", "symbol": "BTCUSDT", "percent": 50})

    drain()

    protected.refresh_from_db()
    sell = Trade.objects.filter(side="sell", role="").get()
    assert sell.quantity == Decimal("0.04995")
    assert protected.status == "open" and protected.quantity == Decimal("0.04995")
    assert PaperOrder.objects.filter(status="open", trigger_kind="stop_loss").get().amount == Decimal("0.04995")


def test_close_without_an_open_position_is_ignored(alice, alice_token, paper_for, deliver, drain):
    paper_for(alice)
    deliver(alice_token, {"action": "close", "symbol": "BTCUSDT"})

    drain()

    webhook = Webhook.objects.get()
    assert (webhook.status, webhook.get_status_display()) == ("ignored", "ignoré")
    assert webhook.error == "Ignoré : aucune position ouverte sur BTC/USDT (Démo paper), rien à clôturer."
    assert not Trade.objects.exists() and not PaperOrder.objects.exists()


def test_close_with_an_amount_is_refused(protected, alice_token, deliver, drain):
    deliver(alice_token, {"action": "close", "symbol": "BTCUSDT", "amount": 100})

    drain()

    webhook = Webhook.objects.order_by("pk").last()
    assert webhook.status == "failed" and webhook.error.startswith("« amount » ne sert pas à close")
    assert Position.objects.get().status == "open"
