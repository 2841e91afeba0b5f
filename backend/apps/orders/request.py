"""La demande d'ordre : une valeur immuable, construite une fois par l'appelant (moteur, webhooks, trading manuel,
bot, tests) et passée telle quelle au service d'ordres puis à la passerelle.

Ses contrôles propres (origine, sens, type, tailles et niveaux en Decimal positifs), aux messages français, sont
ici seulement ; ceux qui demandent le marché (pas, minimums, niveaux autour du prix) sont dans apps.orders.checks.
"""

import hashlib
import json
from dataclasses import dataclass, field, replace
from decimal import Context, Decimal
from typing import Any

from django.core.exceptions import ValidationError

from apps.brokers.models import Broker
from apps.core.numbers import NumberRefused, bounded_decimal
from apps.orders import checks
from apps.orders.models import Trade

LARGEST = Decimal(10) ** 15
EXACT = Context(prec=40)
LABELS = {
    "quantity": "La quantité",
    "amount": "Le montant",
    "percent": "Le pourcentage",
    "price": "Le prix",
    "stop_loss": "Le stop-loss",
    "take_profit": "Le take-profit",
}
NUMBERS = tuple(LABELS)
SIZES = ("quantity", "amount", "percent")
# Un nombre de la demande : Decimal ; le texte saisi dans le Trading manuel est lu (en français) par `checked`.
Number = Decimal | str | None


def number(name: str, value) -> Decimal | None:
    """Un nombre saisi → Decimal positif à 18 décimales au plus ; None si absent."""
    if value is None or value == "":
        return None
    try:
        parsed = bounded_decimal(value)
    except NumberRefused as error:
        if error.kind == "too_long":
            raise ValidationError(f"{LABELS[name]} est refusé : {error}.") from None
        if error.kind == "not_number":
            raise ValidationError(f"{LABELS[name]} n'est pas un nombre : « {value} ».") from None
        raise ValidationError(f"{LABELS[name]} est hors limites : « {value} ».") from None
    if parsed >= LARGEST:
        raise ValidationError(f"{LABELS[name]} est hors limites : « {value} ».")
    parsed = parsed.quantize(Decimal("1e-18"), context=EXACT)
    if parsed <= 0:
        raise ValidationError(f"{LABELS[name]} doit être un nombre positif.")
    return parsed


@dataclass(frozen=True, kw_only=True)
class OrderRequest:
    """Un ordre demandé. Une seule taille : `quantity` (base), `amount` (cotation) ou `percent` (du solde libre :
    cotation à l'achat, base à la vente) ; `price` pour un ordre limite ; `stop_loss` / `take_profit` protègent la
    position qu'un achat ouvre.

    `source` : l'origine (manual, webhook, strategy, bot) ; `client_order_id` : l'identifiant client voulu (rangé
    par origine ; un nouveau s'il manque) ; `webhook_id` / `active_strategy_id` disent d'où vient l'ordre ; `book` :
    le livre de sa position (apps.orders.books), par défaut celui de l'origine. `reference_price` : le dernier prix
    que l'appelant connaît déjà (le moteur : la clôture de la bougie décidée), une requête de ticker en moins ;
    `broker` : le broker déjà chargé par l'appelant (vérifié comme `broker_id`).
    """

    user: Any = field(repr=False)
    broker_id: int
    symbol: str
    side: str
    order_type: str
    source: str
    quantity: Number = None
    amount: Number = None
    percent: Number = None
    price: Number = None
    stop_loss: Number = None
    take_profit: Number = None
    client_order_id: str | None = None
    webhook_id: int | None = None
    active_strategy_id: int | None = None
    book: str | None = None
    reference_price: Decimal | None = None
    broker: Broker | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "source", str(self.source)[:16])  # la longueur de Trade.source

    def checked(self) -> "OrderRequest":
        """La demande vérifiée, ses nombres en Decimal (positifs, 18 décimales au plus) ; lève ValidationError au
        message français."""
        if self.source not in Trade.Source.values:
            raise ValidationError(f"Origine d'ordre inconnue : « {self.source} ».")
        if self.side not in Trade.Side.values:
            raise ValidationError(f"Sens inconnu : « {self.side} » (buy ou sell).")
        if self.order_type not in (Trade.Type.MARKET, Trade.Type.LIMIT):
            raise ValidationError(f"Type d'ordre inconnu : « {self.order_type} » (market ou limit).")
        values = {name: number(name, getattr(self, name)) for name in NUMBERS}
        if sum(values[name] is not None for name in SIZES) != 1:
            raise ValidationError("Indiquez une seule taille d'ordre : une quantité, un montant ou un pourcentage.")
        if values["percent"] is not None and values["percent"] > 100:
            raise ValidationError("Le pourcentage doit être compris entre 0 et 100.")
        if self.order_type == Trade.Type.LIMIT and values["price"] is None:
            raise ValidationError("Un ordre limite demande un prix.")
        if self.order_type == Trade.Type.MARKET and values["price"] is not None:
            raise ValidationError(
                "Un prix n'a de sens que pour un ordre limite : retirez-le ou passez un ordre limite."
            )
        return replace(self, **values)

    def client_id(self) -> str | None:
        """L'identifiant client rangé par origine (« webhook-… ») : celui donné, ou un nouveau ; None s'il est
        invalide."""
        if self.client_order_id is None:
            return checks.new_client_order_id(self.source)
        if not isinstance(self.client_order_id, str):
            return None
        wanted = checks.namespaced_client_order_id(self.source, self.client_order_id)
        return wanted if checks.valid_client_order_id(wanted) else None

    def fingerprint(self, broker_id: int) -> str:
        """Empreinte de la demande telle que reçue : le même identifiant client avec une autre demande est un
        conflit."""
        received = {
            "broker": broker_id,
            "symbol": self.symbol,
            "side": self.side,
            "order_type": self.order_type,
            **{name: getattr(self, name) for name in NUMBERS},
        }
        canonical = json.dumps(
            {key: None if value is None else str(value) for key, value in received.items()}, sort_keys=True
        )
        return hashlib.sha256(canonical.encode()).hexdigest()
