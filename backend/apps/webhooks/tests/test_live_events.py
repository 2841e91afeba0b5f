"""La page est tenue à jour par le groupe privé de l'utilisateur : réception puis résultat, rien chez les autres."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from apps.core.channels import user_group
from apps.webhooks.services.tokens import token_for
from apps.webhooks.worker import WebhookWorker
from testing.channel_groups import received_so_far

pytestmark = pytest.mark.django_db(transaction=True)


async def listen(user) -> str:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(user_group(user.pk), channel)
    return channel


async def messages(channel: str) -> list[dict]:
    """Les messages arrivés sur `channel` (la réception et le worker publient avant de rendre la main)."""
    return [event["message"] for event in await received_so_far(channel)]


async def test_received_then_processed_rows_reach_only_their_owner(alice, bob, paper_for, deliver):
    await database_sync_to_async(paper_for)(alice)
    token = await database_sync_to_async(lambda: token_for(alice).token)()
    alice_channel, bob_channel = await listen(alice), await listen(bob)

    await deliver.from_async(token, {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.01", "id": "a1"})
    await WebhookWorker().drain()

    webhook_rows = [m["data"] for m in await messages(alice_channel) if m["type"] == "webhook"]
    assert [(row["status"], row["status_label"]) for row in webhook_rows] == [
        ("received", "reçu"),
        ("processed", "traité"),
    ]
    received, processed = webhook_rows
    assert (received["action"], received["symbol"], received["quantity"], received["signal_id"]) == (
        "buy",
        "BTCUSDT",
        "0.01",
        "a1",
    )
    assert received["trade"] is None and "body" not in received
    assert (processed["trade"]["status"], processed["trade"]["side"], processed["trade"]["filled_quantity"]) == (
        "filled",
        "buy",
        "0.01",
    )
    assert await messages(bob_channel) == []


async def test_an_invalid_delivery_is_shown_at_once(alice, deliver):
    token = await database_sync_to_async(lambda: token_for(alice).token)()
    channel = await listen(alice)

    await deliver.from_async(token, b"hello", content_type="text/plain")

    # le webhook refusé, puis l'alerte de la cloche qu'il cause (apps.alerts)
    message, alert = await messages(channel)
    assert message["type"] == "webhook"
    assert (message["data"]["status_label"], message["data"]["error"]) == (
        "invalide",
        "Message non JSON : erreur de syntaxe ligne 1, colonne 1 (Expecting value).",
    )
    assert (alert["type"], alert["data"]["kind"]) == ("alert", "webhook_refused")


async def test_a_burst_wakes_the_worker_a_few_times_not_once_per_delivery(alice):
    """Vingt livraisons notifiées ensemble (comme Daphne après une rafale) : un réveil, puis un de plus pour celles
    notifiées pendant son envoi — pas vingt, et jamais une livraison sans réveil après elle."""
    from apps.core.channels import WEBHOOK_WORKER_GROUP
    from apps.webhooks.models import Webhook
    from apps.webhooks.services.events import notify_async, shown

    layer = get_channel_layer()
    worker = await layer.new_channel()
    await layer.group_add(WEBHOOK_WORKER_GROUP, worker)
    webhooks = await database_sync_to_async(
        lambda: [Webhook.objects.create(user=alice, body=b"{}", body_sha256=str(n)) for n in range(20)]
    )()
    rows = await database_sync_to_async(lambda: [shown(webhook) for webhook in webhooks])()

    await asyncio.gather(*(notify_async(webhook, row) for webhook, row in zip(webhooks, rows)))

    wakes = await received_so_far(worker, layer=layer)  # rafale rendue : les réveils demandés sont partis
    assert 1 <= len(wakes) <= 3
    assert {wake["type"] for wake in wakes} == {"webhook.wake"}
