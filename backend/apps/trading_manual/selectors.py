from django.db.models import QuerySet

from apps.core.scoping import owned
from apps.orders.models import Trade


def trades_list(
    *, user, broker: int | None = None, symbol: str = "", source: str = "", status: str = ""
) -> QuerySet[Trade]:
    """Historique des ordres de `user`, les plus récents d'abord, filtré par broker, paire, origine et statut."""
    queryset = owned(Trade.objects.select_related("broker"), user)
    if broker is not None:
        queryset = queryset.filter(broker_id=broker)
    if symbol:
        queryset = queryset.filter(symbol=symbol.strip().upper())
    if source:
        queryset = queryset.filter(source=source)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")
