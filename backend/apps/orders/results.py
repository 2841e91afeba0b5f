"""Réponses de l'exchange (structures d'ordre et d'exécution CCXT) reportées sur un Trade."""
from decimal import Decimal

from apps.orders.models import Trade
from apps.core.services.ccxt_manager import to_decimal

STATUSES = {
    "open": Trade.Status.OPEN,
    "closed": Trade.Status.FILLED,
    "canceled": Trade.Status.CANCELLED,
    "cancelled": Trade.Status.CANCELLED,
    "expired": Trade.Status.CANCELLED,
    "rejected": Trade.Status.FAILED,
}


def apply_order(trade: Trade, order: dict) -> None:
    """Identifiant, statut, quantité exécutée, prix moyen et frais d'un ordre CCXT ; champ absent = inchangé."""
    if order.get("id"):
        trade.exchange_order_id = str(order["id"])
    filled = to_decimal(order.get("filled"))
    if filled is not None:
        trade.filled_quantity = filled
    status = STATUSES.get(order.get("status") or "open", Trade.Status.OPEN)
    if status == Trade.Status.OPEN and trade.filled_quantity > 0:
        status = Trade.Status.PARTIALLY_FILLED
    if status == Trade.Status.FAILED and not trade.error:
        trade.error = f"Ordre refusé par {trade.broker.name}."
    trade.status = status
    average, cost = to_decimal(order.get("average")), to_decimal(order.get("cost"))
    if average is None and cost and trade.filled_quantity:
        average = cost / trade.filled_quantity
    if average:
        trade.average_price = average
    apply_fees(trade, order.get("fees") or [order.get("fee")])


def apply_fees(trade: Trade, fees: list) -> bool:
    """Frais connus (somme dans la devise du premier) ; False si la réponse n'en dit rien."""
    known = [fee for fee in fees if fee and fee.get("cost") is not None]
    if not known:
        return False
    currency = known[0].get("currency") or ""
    trade.fee = sum((to_decimal(fee["cost"]) for fee in known if (fee.get("currency") or "") == currency), Decimal(0))
    trade.fee_currency = currency
    return True


def apply_fills(trade: Trade, fills: list[dict]) -> None:
    """Exécutions réelles de l'ordre (fetch_my_trades) : quantité, prix moyen pondéré et frais."""
    mine = [fill for fill in fills if str(fill.get("order")) == trade.exchange_order_id]
    quantity = sum((to_decimal(fill.get("amount")) or Decimal(0) for fill in mine), Decimal(0))
    if not quantity:
        return
    cost = sum((to_decimal(fill.get("cost")) or to_decimal(fill["amount"]) * to_decimal(fill["price"])
                for fill in mine), Decimal(0))
    trade.filled_quantity, trade.average_price = quantity, cost / quantity
    apply_fees(trade, [fill.get("fee") for fill in mine])
