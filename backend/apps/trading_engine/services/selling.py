"""Vendre la position d'une activation au marché (« Vendre », « Stop » avec vente)."""

import time

from django.core.exceptions import ValidationError

from apps.orders.models import Position, Trade
from apps.orders.services import close_position
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.services.holdings import sell_order_id


def sell_position(*, activation: ActiveStrategy, position: Position) -> Trade:
    """Vend la quantité détenue par le service des positions ; ValidationError (français) si la vente échoue."""
    _, trade = close_position(
        position,
        reason=Position.ExitReason.MANUAL,
        source=Trade.Source.STRATEGY,
        client_order_id=sell_order_id(activation.pk, int(time.time() * 1000)),
    )
    if not trade.executed:
        raise ValidationError(f"Vente refusée : {trade.error or trade.get_status_display()}")
    return trade
