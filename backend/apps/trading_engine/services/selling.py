"""Vendre la position d'une activation au marché (« Vendre », « Stop » avec vente)."""

import time

from django.core.exceptions import ValidationError

from apps.orders.models import Trade
from apps.orders.services import place_order
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.services.holdings import Holding, sell_order_id


def sell_holding(*, activation: ActiveStrategy, holding: Holding) -> Trade:
    """Vend la quantité détenue ; ValidationError (français) si l'ordre n'est pas exécuté."""
    trade = place_order(
        user=activation.user,
        broker_id=activation.broker_id,
        symbol=activation.symbol,
        side=Trade.Side.SELL,
        order_type=Trade.Type.MARKET,
        quantity=holding.quantity,
        source=Trade.Source.STRATEGY,
        client_order_id=sell_order_id(activation.pk, int(time.time() * 1000)),
    )
    if not trade.executed:
        raise ValidationError(f"Vente refusée : {trade.error or trade.get_status_display()}")
    return trade
