"""Noms des groupes Channels et forme des messages : le seul endroit qui les définit.

Tout message vers le navigateur a la forme {"type": <genre>, "data": {...}} ; sur la couche
Channels il voyage dans l'événement {"type": "client.message", "message": <ce message>}.
"""

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

from apps.core.outage import Outage

logger = logging.getLogger("aristobot.channels")

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
ORDER = "order"  # un Trade, champs de apps.orders.serializers.TradeSerializer
POSITION = "position"  # une Position à chaque changement, champs de apps.orders.serializers.PositionSerializer
# Ce que le réconciliateur a trouvé (ordre orphelin, base vendue hors d'Aristobot) et ce qu'il a changé.
RECONCILER_REPORT = "reconciler_report"  # {"id": clé stable de l'anomalie, "broker", "broker_name", "found", "changed"}
# Un exchange refuse les clés d'un broker (AuthenticationFailed à la porte CCXT).
BROKER_AUTH_FAILED = "broker_auth_failed"  # {"id": broker, "broker_name", "error", "version": broker.updated_at}

# Genres de messages privés (groupe user_<id>) du Trading BOT (moteur et API des activations).
ACTIVE_STRATEGY = "active_strategy"  # une activation, champs de apps.trading_engine.serializers.ActivationSerializer
STRATEGY_DECISION = "strategy_decision"  # {"active_strategy", "action": long|exit|nothing|error, "message", "at"}

# Genre de message privé (groupe user_<id>) : un webhook reçu ou son nouveau statut.
WEBHOOK = "webhook"  # champs de apps.webhooks.serializers.WebhookSerializer
WEBHOOK_WORKER_GROUP = "webhook_worker"  # interne : réveille `run_webhook_worker` à chaque webhook à traiter

# Genre de message privé (groupe user_<id>) : une alerte pour la cloche (apps.alerts).
ALERT = "alert"  # champs de apps.alerts.serializers.AlertEventSerializer
ALERTS_WORKER_GROUP = "alerts_worker"  # interne : réveille `run_alerts` à chaque alerte enregistrée

# Genre de message privé (groupe user_<id>) : un backtest et sa progression (≥ 2 par seconde pendant le calcul).
RISK_LIMIT = "risk_limit"  # {"id": atteinte, "broker", "broker_name", "limit", "label", "message", "reached"}
BACKTEST = "backtest"  # champs de apps.backtest.serializers.BacktestRunSerializer (sans trades ni courbe)
BACKTEST_WORKER_GROUP = "backtest_worker"  # interne : réveille `run_backtest_worker` à chaque backtest demandé


def user_group(user_id: int) -> str:
    """Groupe privé d'un utilisateur : ordres, progression, chargements, webhooks."""
    return f"user_{user_id}"


def client_event(kind: str, data: dict) -> dict:
    return {"type": "client.message", "message": {"type": kind, "data": data}}


def status_event(snapshot: dict) -> dict:
    return client_event("status", snapshot)


def candles_event(candles: list[dict]) -> dict:
    """Une vague de bougies clôturées, un message par vague (relue par `decode_candles`)."""
    return client_event(CANDLES, {"candles": candles})


@dataclass(frozen=True, slots=True)
class ClosedCandle:
    """Une bougie d'une vague `candles`, décodée : heures UTC, prix et volume en Decimal."""

    exchange: str
    symbol: str
    timeframe: str
    open_time: datetime
    close_time: datetime
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal


def decode_candles(event: dict) -> list[ClosedCandle]:
    """Les bougies d'un événement `candles` reçu de la couche Channels ; une bougie illisible est écartée
    (et journalisée), les autres passent."""
    message = event.get("message") or {}
    if message.get("type") != CANDLES:
        return []
    decoded = []
    for data in (message.get("data") or {}).get("candles") or []:
        try:
            decoded.append(
                ClosedCandle(
                    exchange=data["exchange"],
                    symbol=data["symbol"],
                    timeframe=data["timeframe"],
                    open_time=datetime.fromisoformat(data["open_time"]),
                    close_time=datetime.fromisoformat(data["close_time"]),
                    **{name: Decimal(data[name]) for name in ("open", "high", "low", "close", "volume")},
                )
            )
        except (KeyError, TypeError, ValueError, InvalidOperation):
            logger.warning("Bougie illisible écartée : %r", data)
    return decoded


def stream_event(events: list[dict]) -> dict:
    """Les événements bruts reçus ensemble, dans l'ordre d'arrivée."""
    return client_event(STREAM, {"events": events})


def heartbeat_reload_event() -> dict:
    return {"type": "heartbeat.reload"}


def webhook_wake_event() -> dict:
    return {"type": "webhook.wake"}


def backtest_wake_event() -> dict:
    return {"type": "backtest.wake"}


def alerts_wake_event() -> dict:
    return {"type": "alerts.wake"}


# Observateurs des messages privés (user_<id>) : l'app des alertes y lit ordres, positions, décisions...
# Appelés après l'envoi (réussi ou non), de façon synchrone, avec (user_id, genre, données) ; une erreur est
# journalisée.
_observers: list[Callable[[int, str, dict], None]] = []


def register_observer(observer: Callable[[int, str, dict], None]) -> None:
    if observer not in _observers:
        _observers.append(observer)


def _observe(group: str, event: dict) -> None:
    if not group.startswith("user_") or event.get("type") != "client.message":
        return
    message = event.get("message") or {}
    for observer in _observers:
        try:
            observer(int(group.removeprefix("user_")), message.get("type"), message.get("data") or {})
        except Exception:
            logger.exception("Observateur de %s en échec", group)


async def publish(group: str, event: dict) -> None:
    try:
        await get_channel_layer().group_send(group, event)
    finally:  # Redis absent : l'observateur voit quand même le message
        if _observers and group.startswith("user_"):
            await SyncToAsync(_observe)(group, event)


_publisher: asyncio.AbstractEventLoop | None = None
_publisher_lock = threading.Lock()
PUBLISH_TIMEOUT_SECONDS = 10


def _publisher_loop() -> asyncio.AbstractEventLoop:
    global _publisher
    with _publisher_lock:
        if _publisher is None:
            _publisher = asyncio.new_event_loop()
            threading.Thread(target=_publisher.run_forever, name="publication", daemon=True).start()
        return _publisher


def publish_sync(group: str, event: dict) -> None:
    """`publish` depuis du code synchrone. Dans un fil de sync_to_async (vue, consumer), par la boucle de
    l'appelant ; ailleurs (fils du moteur, commandes), par une boucle de fond réutilisée : une connexion Redis
    gardée, au lieu d'une boucle et d'une connexion neuves par message."""
    try:
        if getattr(SyncToAsync.threadlocal, "main_event_loop", None) is not None:
            async_to_sync(get_channel_layer().group_send)(group, event)
            return
        future = asyncio.run_coroutine_threadsafe(get_channel_layer().group_send(group, event), _publisher_loop())
        future.result(timeout=PUBLISH_TIMEOUT_SECONDS)
    finally:  # après l'envoi (l'alerte suit le message qui la cause), même si Redis est absent
        _observe(group, event)


GROUP_REJOIN_SECONDS = 3600  # channels_redis oublie un membre de groupe au bout d'un jour : on le redevient avant


RETRY_SECONDS = (1.0, 30.0)  # attente après une panne de Redis : première, puis doublée jusqu'à la dernière


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass


async def listen_group(
    group: str,
    stop: asyncio.Event,
    on_event: Callable[[dict], Awaitable[None]],
    *,
    layer=None,
    rejoin_seconds: float = GROUP_REJOIN_SECONDS,
    retry_seconds: tuple[float, float] = RETRY_SECONDS,
) -> None:
    """Rejoint `group` (à nouveau toutes les `rejoin_seconds`) et passe chaque événement reçu à `on_event`,
    dans l'ordre, jusqu'à `stop` ; quitte le groupe en sortant. Canal au préfixe par défaut : channels_redis
    ne lit qu'un préfixe par processus.

    Redis en panne n'arrête pas l'écoute : nouvel essai avec attente croissante, panne et retour journalisés
    une fois chacun."""
    layer = layer or get_channel_layer()
    loop = asyncio.get_running_loop()
    first_retry, last_retry = retry_seconds
    delay, outage = first_retry, Outage(logger, f"Redis injoignable, écoute du groupe {group} suspendue")
    channel = None
    while not stop.is_set():
        try:
            channel = channel or await layer.new_channel()
            rejoin_at = 0.0
            while not stop.is_set():
                if loop.time() >= rejoin_at:
                    await layer.group_add(group, channel)
                    rejoin_at = loop.time() + rejoin_seconds
                    if outage.down:
                        outage.recovered()
                        delay = first_retry
                receive = asyncio.ensure_future(layer.receive(channel))
                stopped = asyncio.ensure_future(stop.wait())
                done, _ = await asyncio.wait(
                    {receive, stopped}, timeout=max(rejoin_at - loop.time(), 0), return_when=asyncio.FIRST_COMPLETED
                )
                stopped.cancel()
                if receive in done:
                    await on_event(receive.result())
                else:
                    receive.cancel()
        except Exception as error:
            if not is_redis_outage(error):
                raise
            outage.failed(error)
            await _sleep_unless(stop, delay)
            delay = min(delay * 2, last_retry)
    if channel is not None:
        try:
            await layer.group_discard(group, channel)
        except Exception:
            logger.info("Groupe %s non quitté (Redis injoignable)", group)


def is_redis_outage(error: Exception) -> bool:
    """Panne de la couche Channels (Redis absent, connexion coupée), pas une erreur du code appelé."""
    return isinstance(error, (OSError, ConnectionError, asyncio.TimeoutError)) or type(error).__module__.startswith(
        "redis"
    )
