"""Après « Tout couper », un webhook d'achat est refusé (raison française, entrées arrêtées) ; une vente et un
`close` passent toujours ; « Reprendre les entrées » rouvre les achats. Un arrêt limité à un broker laisse les
autres ouverts."""

import pytest

from apps.brokers.models import Broker
from apps.orders.models import Position
from apps.webhooks.models import Webhook

pytestmark = pytest.mark.django_db(transaction=True)


def buy(comment="tv", broker=None):
    signal = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01", "comment": comment}
    return signal if broker is None else {**signal, "broker": broker}


def last() -> Webhook:
    return Webhook.objects.order_by("-pk").first()


def test_entries_refused_after_cut_until_resumed(alice, alice_api, alice_token, paper_for, deliver, drain):
    paper_for(alice)
    deliver(alice_token, buy())
    drain()
    assert Position.objects.get().status == "open"

    assert alice_api.post("/api/panic/", {}, format="json").data["report"]["counts"]["positions"] == 1
    deliver(alice_token, buy("autre"))
    drain()

    refused = last()
    assert refused.status == Webhook.Status.FAILED and refused.trade is None
    assert refused.error.startswith("Entrée refusée : les entrées sont arrêtées par « Tout couper » depuis le ")
    assert "(tous les brokers). « Reprendre les entrées » les rouvre." in refused.error
    # une vente n'est pas une entrée : elle passe (ici refusée par le paper faute de BTC, pas par l'arrêt)
    deliver(alice_token, {"action": "sell", "symbol": "BTCUSDT", "quantity": "0.01"})
    drain()
    assert "Tout couper" not in last().error

    assert alice_api.post("/api/panic/resume/", {}, format="json").data["resumed"] == 1
    deliver(alice_token, buy("encore"))
    drain()
    assert last().status == Webhook.Status.PROCESSED
    assert Position.objects.filter(book="webhook:encore", status="open").exists()


def test_a_cut_on_one_broker_leaves_entries_open_on_the_others(
    alice, alice_api, alice_token, paper_for, deliver, drain
):
    broker = paper_for(alice)
    other = Broker.objects.create(user=alice, name="Autre", exchange="paper")
    alice_api.post("/api/panic/", {"broker": other.pk}, format="json")

    deliver(alice_token, buy("ici", broker.pk))
    deliver(alice_token, buy("là", other.pk))
    drain()

    here, there = Webhook.objects.order_by("pk")
    assert here.status == Webhook.Status.PROCESSED
    assert there.status == Webhook.Status.FAILED and "(broker Autre)" in there.error
