"""Un worker tué pendant un traitement ne garde pas son webhook : le bail, renouvelé tant qu'il travaille, expire
en quelques secondes (pas deux minutes), sans attendre le redémarrage du worker."""

import signal
from decimal import Decimal

import pytest
from django.db import transaction

from apps.brokers.models import PaperBalance
from apps.orders.models import Trade
from apps.webhooks.models import Webhook
from apps.webhooks.services.processing import LEASE, claim_next
from apps.webhooks.tests.conftest import webhook_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_killed_worker_releases_its_webhook_within_seconds(
    alice, alice_token, paper_for, deliver, db_url, tmp_path, wait_until
):
    broker = paper_for(alice)
    for currency, free in (("USDT", Decimal(10_000)), ("BTC", Decimal(0))):
        PaperBalance.objects.create(broker=broker, currency=currency, free=free)
    deliver(alice_token, {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01"})
    webhook = Webhook.objects.get()
    log_path = tmp_path / "worker.log"
    with transaction.atomic():
        # Soldes du paper verrouillés : le worker reste au milieu de l'ordre, webhook réservé.
        list(PaperBalance.objects.select_for_update().filter(broker=broker))
        worker = webhook_worker(db_url, log_path)
        try:
            wait_until(lambda: Trade.objects.filter(client_order_id=f"webhook-{webhook.pk}").exists(), 30)
            assert Webhook.objects.get(pk=webhook.pk).claimed_until is not None
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)

    assert claim_next() is None  # bail encore en cours
    assert LEASE.total_seconds() < 15  # quelques secondes, pas deux minutes
    # Borne large : sans l'expiration du bail, le webhook resterait réservé et cette attente échouerait.
    claimed = wait_until(claim_next, LEASE.total_seconds() + 5, message=log_path.read_text)

    assert claimed == (webhook.pk, alice.pk)
    assert Webhook.objects.get(pk=webhook.pk).status == "received"
