"""Doublons : même id déjà traité, ou mêmes octets à moins de 10 s → enregistrés « doublon », un seul ordre."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from apps.brokers.models import PaperOrder
from apps.orders.models import Trade
from apps.webhooks.models import Webhook
from apps.webhooks.services.tokens import token_for

pytestmark = pytest.mark.django_db(transaction=True)

SIGNAL = b'{"action": "buy", "symbol": "BTCUSDT", "quantity": 0.01}'


def statuses():
    return list(Webhook.objects.order_by("pk").values_list("status", flat=True))


def test_same_id_twice_gives_one_order(alice, alice_token, paper_for, deliver, drain):
    paper_for(alice)
    deliver(alice_token, {"action": "buy", "symbol": "BTCUSDT", "quantity": 0.01, "id": "ordre-7"})
    drain()

    second = deliver(alice_token, {"action": "buy", "symbol": "BTC/USDT", "quantity": 0.02, "id": "ordre-7"})
    drain()

    first = Webhook.objects.order_by("pk").first()
    assert second.json()["status"] == "duplicate"
    assert statuses() == ["processed", "duplicate"]
    assert Webhook.objects.get(status="duplicate").error == (
        f"Doublon du webhook n° {first.pk} (même id « ordre-7 ») : aucun ordre passé."
    )
    assert Trade.objects.count() == PaperOrder.objects.count() == 1


def test_same_id_as_a_webhook_not_yet_processed_is_also_a_duplicate(alice, alice_token, paper_for, deliver, drain):
    paper_for(alice)
    deliver(alice_token, {"action": "buy", "symbol": "BTCUSDT", "quantity": 0.01, "id": "a"})
    deliver(alice_token, {"action": "buy", "symbol": "BTCUSDT", "quantity": 0.01, "id": "a"})

    drain()

    assert statuses() == ["processed", "duplicate"]
    assert PaperOrder.objects.count() == 1


def test_other_users_ids_do_not_collide(alice, bob, alice_token, paper_for, deliver, drain):
    paper_for(alice), paper_for(bob)
    deliver(alice_token, {"action": "buy", "symbol": "BTCUSDT", "quantity": 0.01, "id": "a"})
    deliver(token_for(bob).token, {"action": "buy", "symbol": "BTCUSDT", "quantity": 0.01, "id": "a"})

    drain()

    assert statuses() == ["processed", "processed"]


def test_identical_body_within_10_s_gives_one_order(alice, alice_token, paper_for, deliver, drain):
    paper_for(alice)
    deliver(alice_token, SIGNAL)
    deliver(alice_token, SIGNAL, content_type="text/plain")

    drain()

    assert statuses() == ["processed", "duplicate"]
    assert "message identique à moins de 10 s" in Webhook.objects.get(status="duplicate").error
    assert PaperOrder.objects.count() == 1


def test_identical_body_more_than_10_s_later_is_a_new_order(alice, alice_token, paper_for, deliver, drain):
    paper_for(alice)
    deliver(alice_token, SIGNAL)
    drain()
    Webhook.objects.update(received_at=Webhook.objects.get().received_at - timedelta(seconds=11))

    deliver(alice_token, SIGNAL)
    drain()

    assert statuses() == ["processed", "processed"]
    assert PaperOrder.objects.count() == 2


def test_simultaneous_identical_deliveries_give_one_order(alice, alice_token, paper_for, deliver, drain):
    paper_for(alice)
    answers = []

    def send():
        try:
            answers.append(deliver(alice_token, SIGNAL).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    drain()

    assert answers == [200] * 8
    assert sorted(statuses()) == ["duplicate"] * 7 + ["processed"]
    assert PaperOrder.objects.count() == 1
