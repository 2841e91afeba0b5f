"""Un jeton divulgué ne remplit ni le disque ni la mémoire : au-delà du débit, une seule livraison refusée
enregistrée par minute (début du corps seulement), les autres comptées ; le débit est compté atomiquement (des
fils concurrents ne le dépassent pas) ; sous DEBUG, les fils de réception ne gardent pas leurs requêtes."""

import json
import threading

import pytest
from django.db import connection, connections

from apps.webhooks.consumers import answer_deliveries
from apps.webhooks.models import Webhook, WebhookRateWindow
from apps.webhooks.receiving_pool import with_fresh_connection
from apps.webhooks.services.receiving import Delivery

SIGNAL = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01"}


@pytest.mark.django_db
def test_beyond_the_rate_one_truncated_row_per_minute_and_a_count(settings, alice, alice_token, deliver):
    settings.WEBHOOK_RATE_PER_MINUTE = 3
    padding = "x" * 60_000
    answers = [deliver(alice_token, {**SIGNAL, "id": str(n)}) for n in range(3)]
    answers += [deliver(alice_token, {**SIGNAL, "id": str(n), "comment": padding}) for n in range(3, 10)]

    assert [answer.status_code for answer in answers] == [200] * 3 + [429] * 7
    assert answers[-1].json() == {
        "detail": "Trop de livraisons : 3 par minute au plus pour ce jeton (jeton divulgué ? régénérez-le dans la "
        "page Webhooks)."
    }
    rows = list(Webhook.objects.filter(user=alice).order_by("pk"))
    assert len(rows) == 4 and rows[-1].status == "invalid"
    assert len(bytes(rows[-1].body)) == 1024  # 60 Ko reçus
    assert WebhookRateWindow.objects.get(user=alice).deliveries == 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_never_exceed_the_rate(settings, alice, alice_token):
    settings.WEBHOOK_RATE_PER_MINUTE = 20
    codes, start = [], threading.Barrier(8)

    def flood(lane: int) -> None:
        start.wait()
        for n in range(6):
            body = json.dumps({**SIGNAL, "id": f"{lane}-{n}"}).encode()
            delivery = Delivery(alice_token, body, "application/json", {}, "52.89.214.238")
            codes.append(answer_deliveries([delivery])[0][0])
        connections.close_all()

    lanes = [threading.Thread(target=flood, args=(lane,)) for lane in range(8)]
    for lane in lanes:
        lane.start()
    for lane in lanes:
        lane.join(60)
    assert len(codes) == 48
    assert codes.count(200) == 20 and codes.count(429) == 28
    assert Webhook.objects.filter(user=alice, status="received").count() == 20


@pytest.mark.django_db
def test_reception_threads_keep_no_query_log_under_debug(settings, alice):
    settings.DEBUG = True
    with_fresh_connection(lambda: list(Webhook.objects.filter(user=alice)))
    assert connection.queries == []
