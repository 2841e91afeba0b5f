"""Noms des groupes Channels et forme des messages : le seul endroit qui les définit.

Tout message vers le navigateur a la forme {"type": <genre>, "data": {...}} ; sur la couche
Channels il voyage dans l'événement {"type": "client.message", "message": <ce message>}.
"""
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

HEARTBEAT_GROUP = "heartbeat"  # bougies clôturées (public)
STREAM_GROUP = "stream_brut"  # flux brut Binance (public)
STATUS_GROUP = "status"  # barre de statut (public)


def user_group(user_id: int) -> str:
    """Groupe privé d'un utilisateur : ordres, progression, chargements, webhooks."""
    return f"user_{user_id}"


def client_event(kind: str, data: dict) -> dict:
    return {"type": "client.message", "message": {"type": kind, "data": data}}


def status_event(snapshot: dict) -> dict:
    return client_event("status", snapshot)


async def publish(group: str, event: dict) -> None:
    await get_channel_layer().group_send(group, event)


def publish_sync(group: str, event: dict) -> None:
    async_to_sync(get_channel_layer().group_send)(group, event)
