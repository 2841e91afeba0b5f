"""Lectures du Trading manuel par la porte des exchanges : dernier prix d'une paire (le portefeuille valorisé est
à `apps/brokers/valuation.py`)."""

from django.core.exceptions import ValidationError

from apps.brokers.models import Broker
from apps.core.services.ccxt_manager import ccxt_manager


def ticker(*, broker: Broker, symbol: str) -> dict:
    """{"symbol", "last", "bid", "ask", "timestamp"} d'une paire du broker ; ValidationError si elle est inconnue."""
    if symbol not in ccxt_manager.sync.markets(broker):
        raise ValidationError(f"Paire inconnue sur {broker.name} : {symbol}.")
    data = ccxt_manager.sync.ticker(broker, symbol)
    return {"symbol": symbol, "last": data.last, "bid": data.bid, "ask": data.ask, "timestamp": data.timestamp}
