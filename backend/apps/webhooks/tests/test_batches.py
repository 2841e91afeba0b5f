"""Les livraisons arrivées ensemble s'enregistrent en un lot (une transaction) : chacune reste classée comme si
elle était seule — jeton, IP, débit, signal, doublons dans le lot et en base — et une livraison que la base refuse
n'emporte pas les autres."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from apps.webhooks.models import Webhook
from apps.webhooks.services.receiving import Delivery, SenderRefused, TooManyDeliveries, receive_all
from apps.webhooks.services.tokens import set_tradingview_only, token_for

pytestmark = pytest.mark.django_db
SIGNAL = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01"}


def delivery(token: str, body, *, ip: str = "52.89.214.238", content_type: str = "application/json") -> Delivery:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Delivery(token=token, body=raw, content_type=content_type, headers={}, remote_addr=ip)


def test_a_batch_classifies_each_delivery_as_alone(settings, alice, bob, alice_token):
    settings.WEBHOOK_RATE_PER_MINUTE = 8  # livraisons reçues dans la minute (la ligne créée à la main n'en est pas une)
    stored = Webhook.objects.create(user=alice, body=b"{}", body_sha256="x", signal={}, signal_id="already")
    bobs = token_for(bob).token
    set_tradingview_only(user=bob, enabled=True)

    outcomes = receive_all(
        [
            delivery(alice_token, {**SIGNAL, "id": "a"}),
            delivery("inconnu", SIGNAL),
            delivery(alice_token, {**SIGNAL, "id": "a"}),  # doublon d'une livraison du même lot
            delivery(alice_token, {**SIGNAL, "id": "already"}),  # doublon d'une livraison en base
            delivery(alice_token, SIGNAL),
            delivery(alice_token, SIGNAL),  # mêmes octets, sans id
            delivery(alice_token, {"action": "hold"}),
            delivery(bobs, SIGNAL, ip="203.0.113.9"),  # IP refusée pour bob seulement
            delivery(bobs, {**SIGNAL, "id": "a"}),  # même id qu'alice : pas un doublon (autre utilisateur)
            delivery(alice_token, {**SIGNAL, "id": "b"}),
            delivery(alice_token, {**SIGNAL, "id": "c"}),  # 8e d’alice dans la minute
            delivery(alice_token, {**SIGNAL, "id": "d"}),  # 9e : au-delà du débit
        ]
    )

    first, unknown, repeat, of_stored, body, same_body, invalid, refused, bobs_a, b, c, over = outcomes
    assert unknown is None
    assert (first.status, repeat.status) == ("received", "duplicate")
    assert repeat.error == f"Doublon du webhook n° {first.pk} (même id « a ») : aucun ordre passé."
    assert of_stored.error == f"Doublon du webhook n° {stored.pk} (même id « already ») : aucun ordre passé."
    assert (body.status, same_body.status) == ("received", "duplicate")
    assert (
        same_body.error == f"Doublon du webhook n° {body.pk} (message identique à moins de 10 s) : aucun ordre passé."
    )
    assert invalid.error == "Action inconnue : « hold » (attendu buy, sell ou close)."
    assert isinstance(refused, SenderRefused) and refused.webhook.error.startswith("Adresse IP refusée : 203.0.113.9")
    assert bobs_a.status == "received"
    assert (b.status, c.status) == ("received", "received")
    assert isinstance(over, TooManyDeliveries) and over.webhook.status == "invalid"
    assert Webhook.objects.count() == 12  # tout est enregistré sauf le jeton inconnu, la ligne d'avant comprise
    assert Webhook.objects.get(pk=repeat.pk).error == repeat.error
    assert first.pk < repeat.pk  # l'original avant son doublon


def test_a_delivery_the_database_refuses_does_not_take_the_batch_with_it(alice, alice_token):
    poison = delivery(alice_token, {**SIGNAL, "id": "poison"}, content_type="text/plain\x00")

    good, refused, other = receive_all(
        [delivery(alice_token, {**SIGNAL, "id": "1"}), poison, delivery(alice_token, {**SIGNAL, "id": "2"})]
    )

    assert (good.status, other.status) == ("received", "received")
    assert "NUL" in str(refused) or "0x00" in str(refused)
    assert sorted(Webhook.objects.values_list("signal_id", flat=True)) == ["1", "2"]


@pytest.mark.django_db(transaction=True)
def test_a_burst_through_daphne_is_stored_in_batches_with_one_original_per_key(
    alice, alice_token, web_process, http_post
):
    bodies = [json.dumps({**SIGNAL, "id": "same"}).encode()] * 10
    bodies += [json.dumps(SIGNAL).encode()] * 10
    bodies += [json.dumps({**SIGNAL, "id": f"n{n}"}).encode() for n in range(20)]

    with web_process() as web:
        url = f"{web}/api/webhooks/tradingview/{alice_token}/"
        with ThreadPoolExecutor(max_workers=40) as pool:
            codes = list(pool.map(lambda body: http_post(url, body), bodies))

    assert codes == [200] * 40
    assert Webhook.objects.count() == 40
    received = Webhook.objects.filter(status="received")
    assert sorted(received.values_list("signal_id", flat=True)) == sorted(["same", ""] + [f"n{n}" for n in range(20)])
    originals = {webhook.signal_id: webhook.pk for webhook in received}
    for duplicate in Webhook.objects.filter(status="duplicate"):
        assert f"n° {originals[duplicate.signal_id]} " in duplicate.error
