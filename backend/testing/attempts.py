"""Une tentative d'ordre dont la réponse de l'exchange s'est perdue (processus tué, délai dépassé) : la ligne
« pending » qu'Aristobot écrit avant l'envoi, seule trace à relire auprès de l'exchange par l'identifiant client."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.orders.models import Trade


def pending_attempt(user, broker, client_order_id: str, *, source="manual", minutes_old: int = 0) -> Trade:
    """Achat au marché de 0,01 BTC/USDT en attente de sa réponse, écrit il y a `minutes_old` minutes."""
    trade = Trade.objects.create(
        user=user,
        broker=broker,
        source=source,
        symbol="BTC/USDT",
        side="buy",
        type="market",
        quantity=Decimal("0.01"),
        status=Trade.Status.PENDING,
        client_order_id=client_order_id,
    )
    if minutes_old:
        Trade.objects.filter(pk=trade.pk).update(updated_at=timezone.now() - timedelta(minutes=minutes_old))
    return trade
