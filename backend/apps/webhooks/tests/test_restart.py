"""Redémarrages : un webhook enregistré puis web et worker arrêtés est traité au retour des services, une seule
fois ; un traitement interrompu pendant l'envoi de l'ordre ne le renvoie pas."""
import json
from decimal import Decimal

import pytest

from apps.brokers.models import PaperOrder
from apps.orders.models import Trade
from apps.orders.services import place_order
from apps.webhooks.models import Webhook
from apps.webhooks.services.processing import claim_next

pytestmark = pytest.mark.django_db(transaction=True)
SIGNAL = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01"}


def test_web_process_restarted_between_storage_and_processing_processes_once(
        alice, alice_token, paper_for, deliver, web_process, http_post, wait_until, worker_process):
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

    assert list(PaperOrder.objects.order_by("pk").values_list("amount", flat=True)) == [Decimal("0.01"), Decimal("0.02")]
    assert Webhook.objects.get(pk=first.pk).trade == Trade.objects.order_by("pk").first()


def test_interrupted_after_sending_the_order_is_resumed_without_a_second_order(
        alice, alice_token, paper_for, deliver, wait_until, worker_process):
    paper_for(alice)
    deliver(alice_token, SIGNAL)
    webhook = Webhook.objects.get()
    # Ce qu'avait fait le worker disparu : réserver le webhook, puis passer son ordre, sans écrire le résultat.
    assert claim_next() == (webhook.pk, alice.pk)
    sent = place_order(user=alice, broker_id=alice.default_broker_id, symbol="BTCUSDT", side="buy",
                       order_type="market", quantity=Decimal("0.01"), source="webhook",
                       client_order_id=f"webhook-{webhook.pk}")

    with worker_process():
        wait_until(lambda: Webhook.objects.get(pk=webhook.pk).status == "processed", 30)

    assert Webhook.objects.get(pk=webhook.pk).trade == sent
    assert Trade.objects.count() == PaperOrder.objects.count() == 1


def test_interrupted_during_the_send_is_reported_not_resent(
        alice, alice_token, paper_for, deliver, wait_until, worker_process):
    broker = paper_for(alice)
    deliver(alice_token, SIGNAL)
    webhook = Webhook.objects.get()
    claim_next()
    # Le worker disparu avait enregistré la tentative (service d'ordres) sans recevoir la réponse de l'exchange.
    Trade.objects.create(user=alice, broker=broker, source="webhook", symbol="BTC/USDT", side="buy", type="market",
                         quantity=Decimal("0.01"), status="pending", client_order_id=f"webhook-{webhook.pk}")

    with worker_process():
        wait_until(lambda: Webhook.objects.get(pk=webhook.pk).status != "received", 30)

    webhook.refresh_from_db()
    assert webhook.status == "failed" and webhook.trade.status == "pending"
    assert webhook.error == (f"Résultat inconnu : le traitement s'est interrompu pendant l'envoi de l'ordre "
                             f"webhook-{webhook.pk} ; vérifiez-le sur l'exchange.")
    assert not PaperOrder.objects.exists()
