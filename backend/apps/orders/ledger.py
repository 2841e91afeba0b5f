"""Le grand livre des positions, pur (ni base, ni exchange) : l'état d'un livre calculé depuis ses seules
exécutions, et la réduction des livres d'une base quand le compte en détient moins que leur somme.

apps.orders.positions l'applique aux Trades d'une position ; le réconciliateur, aux soldes de l'exchange.
"""

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
PCT = Decimal("1e-8")


@dataclass(frozen=True)
class Fill:
    """Une exécution (cumulée) d'un ordre : côté, quantité de base, prix moyen, frais payés en base et en cotation."""

    side: str  # "buy" ou "sell"
    quantity: Decimal
    price: Decimal
    base_fee: Decimal = ZERO
    quote_fee: Decimal = ZERO


@dataclass(frozen=True)
class BookState:
    bought: Decimal  # base reçue, nette des frais en base
    sold: Decimal  # base vendue, au plus ce qui a été reçu
    quantity: Decimal  # détenue : reçue − vendue − retirée hors d'Aristobot
    entry_price: Decimal | None  # prix moyen des achats
    entry_cost: Decimal  # cotation dépensée, frais compris
    proceeds: Decimal  # cotation reçue des ventes, frais déduits
    fees: Decimal  # en cotation
    exit_price: Decimal | None
    realized_pnl: Decimal
    realized_pnl_pct: Decimal | None


def book_from_fills(fills, external: Decimal = ZERO) -> BookState:
    """L'état d'un livre depuis ses exécutions ; `external` : base retirée hors d'Aristobot (réconciliateur).

    Une vente de plus que le livre n'a reçu (autres pièces du compte) ne compte que pour sa part."""
    bought = gross = notional = cost = sold = sold_notional = proceeds = fees = ZERO
    for fill in fills:
        fees += fill.quote_fee + fill.base_fee * fill.price
        if fill.side == "buy":
            gross += fill.quantity
            bought += fill.quantity - fill.base_fee
            notional += fill.quantity * fill.price
            cost += fill.quantity * fill.price + fill.quote_fee
        else:
            sold += fill.quantity
            sold_notional += fill.quantity * fill.price
            proceeds += fill.quantity * fill.price - fill.quote_fee - fill.base_fee * fill.price
    exit_price = sold_notional / sold if sold else None
    if sold > bought:
        proceeds, sold = (proceeds * bought / sold if sold else ZERO), bought
    basis = cost * sold / bought if bought else ZERO
    realized = proceeds - basis if sold else ZERO
    return BookState(
        bought=bought,
        sold=sold,
        quantity=max(bought - sold - external, ZERO),
        entry_price=notional / gross if gross else None,
        entry_cost=cost,
        proceeds=proceeds,
        fees=fees,
        exit_price=exit_price,
        realized_pnl=realized,
        realized_pnl_pct=(realized / basis * 100).quantize(PCT) if sold and basis else None,
    )


@dataclass(frozen=True)
class Holding:
    """Un livre ouvert sur une base : sa clé, son rang de réduction (books.shrink_rank), sa quantité."""

    key: object
    rank: tuple
    quantity: Decimal


def shrink_plan(holdings: list[Holding], account: Decimal, tolerance: Decimal = ZERO) -> dict[object, Decimal]:
    """Ce qu'il faut retirer de chaque livre pour que leur somme ne dépasse plus `account` (libre + bloqué) :
    dans l'ordre des rangs, chaque livre jusqu'à zéro avant le suivant. Un excédent au plus `tolerance` × la somme
    (poussière) ne retire rien."""
    held = sum((holding.quantity for holding in holdings), ZERO)
    missing = held - account
    if missing <= held * tolerance:
        return {}
    plan = {}
    for holding in sorted(holdings, key=lambda h: h.rank):
        if missing <= 0:
            break
        take = min(missing, holding.quantity)
        if take > 0:
            plan[holding.key] = take
            missing -= take
    return plan
