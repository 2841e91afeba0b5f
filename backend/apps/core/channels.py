"""Noms des groupes Channels et forme des messages : le seul endroit qui les définit.

Tout message vers le navigateur a la forme {"type": <genre>, "data": {...}} ; sur la couche
Channels il voyage dans l'événement {"type": "client.message", "message": <ce message>}.
"""
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

HEARTBEAT_GROUP = "heartbeat"  # bougies clôturées (public)
STREAM_GROUP = "stream_brut"  # flux brut Binance (public)
STATUS_GROUP = "status"  # barre de statut (public)
HEARTBEAT_CONTROL_GROUP = "heartbeat_control"  # interne : le processus heartbeat relit ses réglages

# Genres de messages publics du heartbeat.
# Groupe heartbeat, une vague par message : les bougies clôturées au même instant, par unité croissante,
# {"candles": [{"exchange", "symbol", "timeframe", "open_time", "close_time", OHLCV en texte}, ...]}.
CANDLES = "candles"
STREAM = "stream"  # groupe stream_brut : {"events": [événement kline Binance tel que reçu, ...]}

# Genres de messages privés (groupe user_<id>) : chargement des paires d'un exchange.
MARKETS_LOADING = "markets_loading"  # {"exchange", "name"}
MARKETS_LOADED = "markets_loaded"  # {"exchange", "name", "added", "removed", "updated", "total"}
MARKETS_FAILED = "markets_failed"  # {"exchange", "name", "error"}

# Genre de message privé (groupe user_<id>) : un ordre passé, annulé ou mis à jour (service d'ordres).
ORDER = "order"  # un Trade, champs de apps.core.serializers.TradeSerializer

# Genre de message privé (groupe user_<id>) : un webhook reçu ou son nouveau statut.
WEBHOOK = "webhook"  # champs de apps.webhooks.serializers.WebhookSerializer
WEBHOOK_WORKER_GROUP = "webhook_worker"  # interne : réveille `run_webhook_worker` à chaque webhook à traiter


def user_group(user_id: int) -> str:
    """Groupe privé d'un utilisateur : ordres, progression, chargements, webhooks."""
    return f"user_{user_id}"


def client_event(kind: str, data: dict) -> dict:
    return {"type": "client.message", "message": {"type": kind, "data": data}}


def status_event(snapshot: dict) -> dict:
    return client_event("status", snapshot)


def candles_event(candles: list[dict]) -> dict:
    """Une vague de bougies clôturées, un message par vague (le moteur lit event["message"]["data"]["candles"])."""
    return client_event(CANDLES, {"candles": candles})


def stream_event(events: list[dict]) -> dict:
    """Les événements bruts reçus ensemble, dans l'ordre d'arrivée."""
    return client_event(STREAM, {"events": events})


def heartbeat_reload_event() -> dict:
    return {"type": "heartbeat.reload"}


def webhook_wake_event() -> dict:
    return {"type": "webhook.wake"}


async def publish(group: str, event: dict) -> None:
    await get_channel_layer().group_send(group, event)


def publish_sync(group: str, event: dict) -> None:
    async_to_sync(get_channel_layer().group_send)(group, event)
