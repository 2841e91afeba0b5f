"""Trading manuel par la porte des exchanges : dernier prix d'une paire, ordres manuels (le portefeuille valorisé
est à `apps/brokers/valuation.py`)."""

from contextlib import nullcontext

from django.core.exceptions import ValidationError

from apps.brokers.models import Broker
from apps.core.entry_gate import override_confirmed
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders.models import Trade
from apps.orders.request import OrderRequest
from apps.orders.services import place_order


def ticker(*, broker: Broker, symbol: str) -> dict:
    """{"symbol", "last", "bid", "ask", "timestamp"} d'une paire du broker ; ValidationError si elle est inconnue."""
    if symbol not in ccxt_manager.sync.markets(broker):
        raise ValidationError(f"Paire inconnue sur {broker.name} : {symbol}.")
    data = ccxt_manager.sync.ticker(broker, symbol)
    return {"symbol": symbol, "last": data.last, "bid": data.bid, "ask": data.ask, "timestamp": data.timestamp}


def place_manual_order(*, user, override_limits: bool = False, **request) -> Trade:
    """Un ordre du Trading manuel par le service d'ordres ; `override_limits` : l'utilisateur a confirmé passer
    outre les limites de risque atteintes (confirmation enregistrée par apps.risk)."""
    with override_confirmed(user) if override_limits else nullcontext():
        return place_order(OrderRequest(user=user, source=Trade.Source.MANUAL, **request))
