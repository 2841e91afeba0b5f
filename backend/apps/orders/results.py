"""Réponses de l'exchange (ordres et exécutions, structures de la porte) reportées sur un Trade."""

from decimal import Decimal

from apps.core.services.exchange_data import Fee, Fill, Order
from apps.orders.models import Trade

STATUSES = {
    "open": Trade.Status.OPEN,
    "closed": Trade.Status.FILLED,
    "canceled": Trade.Status.CANCELLED,
    "cancelled": Trade.Status.CANCELLED,
    "expired": Trade.Status.CANCELLED,
    "rejected": Trade.Status.FAILED,
}


def _fees_by_currency(fees: list[Fee]) -> dict[str, str]:
    totals: dict[str, Decimal] = {}
    for fee in fees:
        totals[fee.currency or "?"] = totals.get(fee.currency or "?", Decimal(0)) + fee.cost
    return {currency: format(cost.normalize(), "f") for currency, cost in totals.items()}


def apply_order(trade: Trade, order: Order) -> None:
    """Identifiant, statut, quantité exécutée, prix moyen et frais d'un ordre ; champ absent = inchangé.

    La quantité exécutée ne baisse jamais : une réponse en retard sur une autre ne la défait pas.
    """
    if order.id:
        trade.exchange_order_id = order.id
    if order.filled is not None and order.filled > trade.filled_quantity:
        trade.filled_quantity = order.filled
    status = STATUSES.get(order.status or "open", Trade.Status.OPEN)
    if status == Trade.Status.OPEN and trade.filled_quantity > 0:
        status = Trade.Status.PARTIALLY_FILLED
    if status == Trade.Status.FAILED and not trade.error:
        trade.error = f"Ordre refusé par {trade.broker.name}."
    trade.status = status
    average = order.average
    if average is None and order.cost and trade.filled_quantity:
        average = order.cost / trade.filled_quantity
    if average:
        trade.average_price = average
    if order.fees:
        trade.fees = _fees_by_currency(order.fees)


def apply_fills(trade: Trade, fills: list[Fill]) -> None:
    """Exécutions réelles de l'ordre : frais par devise, prix moyen pondéré ; la quantité exécutée monte à leur
    somme, jamais en dessous de ce que l'exchange a annoncé."""
    mine = [fill for fill in fills if fill.order_id == trade.exchange_order_id]
    quantity = sum((fill.amount for fill in mine), Decimal(0))
    if not quantity:
        return
    if quantity >= trade.filled_quantity:
        trade.filled_quantity = quantity
        trade.average_price = sum((fill.cost for fill in mine), Decimal(0)) / quantity
    fees = [fill.fee for fill in mine if fill.fee is not None]
    if fees:
        trade.fees = _fees_by_currency(fees)
