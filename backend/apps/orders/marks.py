"""Positions en cours au dernier prix : prix courant et P&L latent, calculés en Decimal (le navigateur ne fait que
les afficher)."""

from collections import defaultdict
from decimal import Decimal

from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders.models import Position
from apps.orders.selectors import positions_list

PCT_STEP = Decimal("0.01")


def unrealized(position: Position, price: Decimal | None) -> dict:
    """{"id", "price", "value", "unrealized_pnl", "unrealized_pnl_pct"} au prix `price` (frais de sortie non
    comptés) ; sans prix ni entrée connus, les chiffres valent None."""
    known = bool(price and position.entry_price and position.quantity) and min(price, position.entry_price) > 0
    if not known:
        return {"id": position.pk, "price": price, "value": None, "unrealized_pnl": None, "unrealized_pnl_pct": None}
    return {
        "id": position.pk,
        "price": price,
        "value": position.quantity * price,
        "unrealized_pnl": (price - position.entry_price) * position.quantity,
        "unrealized_pnl_pct": ((price / position.entry_price - 1) * 100).quantize(PCT_STEP),
    }


def open_marks(*, user, broker: int | None = None, source: str = "") -> list[dict]:
    """Les positions en cours de `user` (filtrées) à leur dernier prix, une demande de prix par broker pour ses
    paires ; un prix que l'exchange ne donne pas laisse la ligne sans chiffres."""
    held = list(positions_list(user=user, status="open", broker=broker, source=source))
    pairs = defaultdict(set)
    for position in held:
        pairs[position.broker].add(position.symbol)
    prices = {broker: ccxt_manager.sync.last_prices(broker, sorted(symbols)) for broker, symbols in pairs.items()}
    return [unrealized(position, prices[position.broker].get(position.symbol)) for position in held]
