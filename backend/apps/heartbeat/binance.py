"""Le format de Binance (flux combiné de klines et REST /api/v3/klines), traduit en objets du heartbeat."""

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from apps.core.symbols import market_id
from apps.heartbeat.bars import Bar

EXCHANGE = "binance"
INTERVAL = "1m"


class MalformedMessage(ValueError):
    """Message illisible ou incomplet : compté, journalisé, ignoré (jamais fatal)."""


def stream_name(symbol: str) -> str:
    """ "BTC/USDT" → "btcusdt@kline_1m"."""
    return f"{market_id(symbol).lower()}@kline_{INTERVAL}"


def stream_url(base_url: str, symbols: list[str]) -> str:
    """URL du flux combiné : une connexion, un flux kline 1m par symbole."""
    return f"{base_url.rstrip('/')}/stream?streams=" + "/".join(stream_name(s) for s in symbols)


def method_message(method: str, symbols: list[str], request_id: int) -> str:
    """Demande SUBSCRIBE / UNSUBSCRIBE sur une connexion ouverte."""
    return json.dumps({"method": method, "params": [stream_name(s) for s in symbols], "id": request_id})


@dataclass(slots=True)
class KlineEvent:
    """Un événement kline 1m : `raw` est l'événement tel que reçu, publié dans le flux brut."""

    market_id: str
    open_time: int
    closed: bool
    prices: tuple[Decimal, Decimal, Decimal, Decimal, Decimal]  # open, high, low, close, volume
    raw: dict

    def bar(self, symbol: str) -> Bar:
        return Bar(symbol, INTERVAL, self.open_time, *self.prices)


@dataclass(slots=True)
class Reply:
    """Réponse à une demande SUBSCRIBE / UNSUBSCRIBE."""

    request_id: object
    error: dict | None


@dataclass(slots=True)
class ServerShutdown:
    """Binance annonce l'arrêt du serveur : il faut se reconnecter."""


@dataclass(slots=True)
class OtherEvent:
    """Événement bien formé mais sans intérêt ici (autre type, autre intervalle)."""

    kind: str


def _decimals(values: list) -> tuple[Decimal, ...]:
    try:
        numbers = tuple(Decimal(value) for value in values)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise MalformedMessage(f"nombre invalide dans {values!r}") from exc
    if not all(number.is_finite() for number in numbers):
        raise MalformedMessage(f"nombre invalide dans {values!r}")
    return numbers


def parse_message(text: str | bytes) -> KlineEvent | Reply | ServerShutdown | OtherEvent:
    """Traduit un message du flux ; lève MalformedMessage s'il est illisible ou incomplet."""
    try:
        message = json.loads(text)
    except (ValueError, TypeError) as exc:
        raise MalformedMessage("JSON invalide") from exc
    if not isinstance(message, dict):
        raise MalformedMessage("objet JSON attendu")
    if "id" in message and ("result" in message or "error" in message):
        return Reply(message["id"], message.get("error"))
    event = message.get("data", message)
    if not isinstance(event, dict):
        raise MalformedMessage("champ data invalide")
    kind = event.get("e")
    if kind == "serverShutdown":
        return ServerShutdown()
    if kind != "kline":
        if isinstance(kind, str):
            return OtherEvent(kind)
        raise MalformedMessage("type d'événement absent")
    kline = event.get("k")
    if not isinstance(kline, dict):
        raise MalformedMessage("kline absente")
    symbol, open_time, interval, closed = kline.get("s"), kline.get("t"), kline.get("i"), kline.get("x")
    if not isinstance(symbol, str) or type(open_time) is not int or not isinstance(closed, bool):
        raise MalformedMessage("champs s, t ou x de la kline invalides")
    if interval != INTERVAL:
        return OtherEvent(f"kline {interval}")
    prices = _decimals([kline.get(key) for key in ("o", "h", "l", "c", "v")])
    return KlineEvent(symbol.upper(), open_time, closed, prices, event)


def parse_rest_kline(symbol: str, row: list) -> Bar:
    """Une ligne de /api/v3/klines : [ouverture ms, "o", "h", "l", "c", "v", clôture ms, ...]."""
    if not isinstance(row, list) or len(row) < 6 or type(row[0]) is not int:
        raise MalformedMessage(f"ligne de klines invalide : {row!r}")
    return Bar(symbol, INTERVAL, row[0], *_decimals(row[1:6]))
