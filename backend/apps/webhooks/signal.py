"""Le format des signaux TradingView : lecture et validation du corps reçu, sans base ni réseau.

{"action": "buy"|"sell"|"close", "symbol": "BTCUSDT"|"BTC/USDT"|"BINANCE:BTCUSDT", "broker": id ou nom,
 "quantity"|"amount"|"percent": nombre, "order_type": "market"|"limit", "price", "stop_loss", "take_profit",
 "id", "comment"}
"""

import json
import re
from dataclasses import asdict, dataclass
from decimal import Decimal

from apps.core.json_parser import JSONRefused, loads
from apps.core.numbers import NumberRefused, bounded_decimal, json_decimal
from apps.core.symbols import clean_symbol

ACTIONS = ("buy", "sell", "close")
ORDER_TYPES = ("market", "limit")
SIZES = ("quantity", "amount", "percent")
PRICES = ("price", "stop_loss", "take_profit")
FIELDS = ("action", "symbol", "broker", *SIZES, "order_type", *PRICES, "id", "comment")
MAX_ID = 100
MAX_COMMENT = 500
_SYMBOL = re.compile(r"^[A-Z0-9]+(/[A-Z0-9]+)?$")


class InvalidSignal(ValueError):
    """Le corps n'est pas un signal valide ; le message (français) dit quoi corriger."""


@dataclass(frozen=True)
class Signal:
    action: str
    symbol: str  # préfixe d'exchange retiré, en majuscules : « BTCUSDT » ou « BTC/USDT »
    side: str  # buy ou sell (close vend)
    order_type: str = "market"
    broker: int | str | None = None
    quantity: Decimal | None = None
    amount: Decimal | None = None
    percent: Decimal | None = None
    price: Decimal | None = None
    stop_loss: Decimal | None = None
    take_profit: Decimal | None = None
    id: str = ""
    comment: str = ""

    def to_json(self) -> dict:
        """Pour la base (JSONField) : nombres en texte, jamais en float."""
        return {key: format(value, "f") if isinstance(value, Decimal) else value for key, value in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> "Signal":
        numbers = (*SIZES, *PRICES)
        return cls(
            **{key: Decimal(value) if key in numbers and value is not None else value for key, value in data.items()}
        )


def _reject_constant(name: str):
    raise InvalidSignal(f"Nombre invalide dans le message : {name}.")


def _decode(body: bytes) -> dict:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidSignal("Message illisible : le corps n'est pas du texte UTF-8.") from None
    if not text.strip():
        raise InvalidSignal("Message vide : le signal doit être un objet JSON.")
    try:
        data = loads(text, parse_float=json_decimal, parse_constant=_reject_constant)
    except JSONRefused as error:
        raise InvalidSignal(f"Message refusé : {error}.") from None
    except json.JSONDecodeError as error:
        raise InvalidSignal(
            f"Message non JSON : erreur de syntaxe ligne {error.lineno}, colonne {error.colno} ({error.msg})."
        ) from None
    except NumberRefused as error:
        raise InvalidSignal(f"Nombre refusé dans le message : {error}.") from None
    except RecursionError:
        raise InvalidSignal("Message JSON trop imbriqué.") from None
    if not isinstance(data, dict):
        raise InvalidSignal('Le signal doit être un objet JSON : {"action": …, "symbol": …}.')
    return data


def _text(data: dict, field: str, limit: int = 100) -> str:
    value = data.get(field)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise InvalidSignal(f"« {field} » doit être un texte.")
    value = str(value).strip()
    if "{{" in value and field != "comment":
        raise InvalidSignal(f"« {field} » contient une variable TradingView non remplacée : {value}.")
    if len(value) > limit:
        raise InvalidSignal(f"« {field} » trop long ({len(value)} caractères, {limit} au plus).")
    return value


def _number(data: dict, field: str) -> Decimal | None:
    value = data.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise InvalidSignal(f"« {field} » doit être un nombre positif (reçu : {json.dumps(value)}).")
    try:
        number = bounded_decimal(value)
    except NumberRefused as error:
        shown = f"reçu : {value}" if error.kind == "not_number" else str(error)
        raise InvalidSignal(f"« {field} » doit être un nombre positif ({shown}).") from None
    if number <= 0:
        raise InvalidSignal(f"« {field} » doit être un nombre positif (reçu : {value}).")
    return number


def _symbol(data: dict) -> str:
    raw = _text(data, "symbol", 64)
    if not raw:
        raise InvalidSignal("« symbol » manquant (ex. BTCUSDT, BTC/USDT ou BINANCE:BTCUSDT).")
    symbol = clean_symbol(raw)  # « BINANCE:BTCUSDT » : l'exchange vient du broker
    if not _SYMBOL.match(symbol):
        raise InvalidSignal(f"Paire illisible : {raw} (ex. BTCUSDT, BTC/USDT ou BINANCE:BTCUSDT).")
    return symbol


def _broker(data: dict) -> int | str | None:
    value = data.get("broker")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return _text(data, "broker") or None


def parse_signal(body: bytes) -> Signal:
    """Le signal contenu dans `body` (octets reçus) ; lève InvalidSignal avec la raison en français."""
    data = _decode(body)
    unknown = [key for key in data if key not in FIELDS]
    if unknown:
        raise InvalidSignal(f"Champ inconnu : {', '.join(unknown)} (champs acceptés : {', '.join(FIELDS)}).")

    action = _text(data, "action").lower()
    if action not in ACTIONS:
        raise InvalidSignal(
            f"Action inconnue : « {action} » (attendu buy, sell ou close)."
            if action
            else "« action » manquante : buy, sell ou close."
        )
    order_type = _text(data, "order_type").lower() or "market"
    if order_type not in ORDER_TYPES:
        raise InvalidSignal(f"Type d'ordre inconnu : « {order_type} » (attendu market ou limit).")

    numbers = {field: _number(data, field) for field in (*SIZES, *PRICES)}
    sizes = [field for field in SIZES if numbers[field] is not None]
    if len(sizes) > 1:
        raise InvalidSignal(f"Une seule taille à la fois : {', '.join(sizes)} reçus (quantity, amount ou percent).")
    if not sizes and action != "close":
        raise InvalidSignal("Taille manquante : quantity (en base), amount (en cotation) ou percent (du solde).")
    if action == "close" and not sizes:
        numbers["percent"] = Decimal("100")  # close : tout le solde disponible de la devise de base
    if numbers["percent"] is not None and numbers["percent"] > 100:
        raise InvalidSignal(f"« percent » doit être compris entre 0 et 100 (reçu : {numbers['percent']}).")
    if order_type == "limit" and numbers["price"] is None:
        raise InvalidSignal("Un ordre limit demande « price ».")
    if order_type == "market" and numbers["price"] is not None:
        raise InvalidSignal('« price » ne sert qu\'aux ordres limit : ajoutez "order_type": "limit" ou retirez-le.')

    return Signal(
        action=action,
        symbol=_symbol(data),
        side="sell" if action == "close" else action,
        order_type=order_type,
        broker=_broker(data),
        id=_text(data, "id", MAX_ID),
        comment=_text(data, "comment", MAX_COMMENT),
        **numbers,
    )
