"""Redémarrages : un webhook enregistré pendant que le worker est arrêté est traité à son retour, une seule fois ;
un traitement interrompu pendant l'envoi de l'ordre ne le renvoie pas."""
import os
import signal
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from apps.brokers.models import PaperOrder
from apps.core.models import Trade
from apps.core.services.orders import place_order
from apps.webhooks.models import Webhook
from apps.webhooks.services.processing import claim_next

pytestmark = pytest.mark.django_db(transaction=True)
BACKEND = Path(__file__).resolve().parents[3]
SIGNAL = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01"}


@contextmanager
def worker_process():
    """`manage.py run_webhook_worker` sur la base de test ; arrêté par SIGTERM, il doit sortir proprement."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen([sys.executable, "manage.py", "run_webhook_worker"], cwd=BACKEND, stdout=log,
                                   stderr=subprocess.STDOUT, env=dict(os.environ, DATABASE_URL=url))
        try:
            yield
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=20)
            log.seek(0)
            assert code == 0, log.read()


def test_webhook_stored_while_the_worker_is_down_is_processed_once_when_it_is_back(
        alice, alice_token, paper_for, deliver, wait_until):
    paper_for(alice)
    deliver(alice_token, SIGNAL)
    first = Webhook.objects.get()
    assert first.status == "received" and not Trade.objects.exists()

    with worker_process():
        wait_until(lambda: Webhook.objects.get(pk=first.pk).status == "processed", 30)
    with worker_process():  # redémarré : rien n'est repassé, le nouveau signal est traité
        deliver(alice_token, {**SIGNAL, "quantity": "0.02"})
        wait_until(lambda: Webhook.objects.filter(status="processed").count() == 2, 30)

    assert list(PaperOrder.objects.order_by("pk").values_list("amount", flat=True)) == [Decimal("0.01"), Decimal("0.02")]
    assert Webhook.objects.get(pk=first.pk).trade == Trade.objects.order_by("pk").first()


def test_interrupted_after_sending_the_order_is_resumed_without_a_second_order(
        alice, alice_token, paper_for, deliver, wait_until):
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


def test_interrupted_during_the_send_is_reported_not_resent(alice, alice_token, paper_for, deliver, wait_until):
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
