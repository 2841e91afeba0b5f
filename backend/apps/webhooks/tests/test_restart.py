"""Redémarrages : un webhook enregistré puis web et worker arrêtés est traité au retour des services, une seule
fois ; un traitement interrompu pendant l'envoi de l'ordre est repris en demandant à l'exchange ce qu'il en a fait
(par identifiant client) : jamais deux ordres."""

import json
from decimal import Decimal

import pytest

from apps.brokers.models import PaperOrder
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders.models import Trade
from apps.webhooks.models import Webhook
from apps.webhooks.services.processing import claim_next
from testing.attempts import pending_attempt

pytestmark = pytest.mark.django_db(transaction=True)
SIGNAL = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01"}


def claimed_signal(deliver, token) -> Webhook:
    """`SIGNAL` reçu puis réservé, comme par un worker qui disparaît ensuite (le bail court encore)."""
    deliver(token, SIGNAL)
    webhook = Webhook.objects.get()
    assert claim_next() == (webhook.pk, webhook.user_id)
    return webhook


def after_a_worker_restart(worker_process, wait_until, webhook) -> Webhook:
    """`webhook` relu quand un worker neuf l'a repris et conclu."""
    with worker_process():
        wait_until(lambda: Webhook.objects.get(pk=webhook.pk).status != "received", 30)
    webhook.refresh_from_db()
    return webhook


def test_web_process_restarted_between_storage_and_processing_processes_once(
    alice, alice_token, paper_for, deliver, web_process, http_post, wait_until, worker_process
):
    paper_for(alice)
    with web_process() as web:  # enregistré par Daphne, arrêté aussitôt, avant tout traitement
        assert http_post(f"{web}/api/webhooks/tradingview/{alice_token}/", json.dumps(SIGNAL).encode()) == 200
    first = Webhook.objects.get()
    assert first.status == "received" and not Trade.objects.exists()

    with web_process(), worker_process():  # les services reviennent
        wait_until(lambda: Webhook.objects.get(pk=first.pk).status == "processed", 30)
    with worker_process():  # redémarré : rien n'est repassé, le nouveau signal est traité
        deliver(alice_token, {**SIGNAL, "quantity": "0.02"})
        wait_until(lambda: Webhook.objects.filter(status="processed").count() == 2, 30)

    assert list(PaperOrder.objects.order_by("pk").values_list("amount", flat=True)) == [
        Decimal("0.01"),
        Decimal("0.02"),
    ]
    assert Webhook.objects.get(pk=first.pk).trade == Trade.objects.order_by("pk").first()


def test_interrupted_after_sending_the_order_is_resumed_without_a_second_order(
    alice, alice_token, paper_for, deliver, wait_until, worker_process, place
):
    paper_for(alice)
    # Ce qu'avait fait le worker disparu : réserver le webhook, puis passer son ordre, sans écrire le résultat.
    webhook = claimed_signal(deliver, alice_token)
    sent = place(
        alice,
        alice.default_broker_id,
        symbol="BTCUSDT",
        quantity=Decimal("0.01"),
        source="webhook",
        client_order_id=f"webhook-{webhook.pk}",
    )

    webhook = after_a_worker_restart(worker_process, wait_until, webhook)

    assert webhook.status == "processed" and webhook.trade == sent
    assert Trade.objects.count() == PaperOrder.objects.count() == 1


def test_worker_killed_after_the_exchange_accepted_the_order_completes_with_that_order(
    alice, alice_token, paper_for, deliver, wait_until, worker_process
):
    broker = paper_for(alice)
    webhook = claimed_signal(deliver, alice_token)
    # Le worker disparu avait enregistré la tentative, et l'exchange avait accepté l'ordre ; la réponse est perdue.
    pending = pending_attempt(alice, broker, f"webhook-{webhook.pk}", source="webhook")
    ccxt_manager.sync.create_order(
        broker,
        symbol="BTC/USDT",
        type="market",
        side="buy",
        amount=Decimal("0.01"),
        client_order_id=f"webhook-{webhook.pk}",
    )

    webhook = after_a_worker_restart(worker_process, wait_until, webhook)

    assert webhook.status == "processed" and webhook.trade == pending
    assert (webhook.trade.status, webhook.trade.filled_quantity) == ("filled", Decimal("0.01"))
    assert webhook.trade.exchange_order_id == str(PaperOrder.objects.get().pk)
    assert Trade.objects.count() == PaperOrder.objects.count() == 1


def test_interrupted_before_the_order_reached_the_exchange_fails_without_sending(
    alice, alice_token, paper_for, deliver, wait_until, worker_process
):
    broker = paper_for(alice)
    webhook = claimed_signal(deliver, alice_token)
    # Tentative enregistrée il y a longtemps, jamais arrivée à l'exchange : l'exchange ne la connaît pas.
    pending_attempt(alice, broker, f"webhook-{webhook.pk}", source="webhook", minutes_old=5)

    webhook = after_a_worker_restart(worker_process, wait_until, webhook)

    assert webhook.status == "failed" and webhook.trade.status == "failed"
    assert webhook.error == "L'ordre n'a pas atteint Démo paper."
    assert not PaperOrder.objects.exists()
