from django.db.models import QuerySet, prefetch_related_objects

from apps.core.scoping import owned
from apps.orders.models import Position

# « open » : toute position en cours (en ouverture, ouverte, en clôture) ; les autres statuts tels quels.
STATUS_FILTERS = {"open": Position.LIVE_STATUSES, **{value: (value,) for value in Position.Status.values}}


def positions_list(
    *, user, status: str = "", broker: int | None = None, symbol: str = "", source: str = ""
) -> QuerySet[Position]:
    """Les positions de `user` avec leurs Trades, les plus récentes d'abord, filtrées."""
    queryset = owned(Position.objects.select_related("broker").prefetch_related("trades__broker"), user)
    if status:
        queryset = queryset.filter(status__in=STATUS_FILTERS[status])
    if broker is not None:
        queryset = queryset.filter(broker_id=broker)
    if symbol:
        queryset = queryset.filter(symbol=symbol.strip().upper())
    if source:
        queryset = queryset.filter(source=source)
    return queryset.order_by("-opened_at", "-id")


def with_trades(position: Position) -> Position:
    """La position et ses Trades, chacun avec le broker de la position (déjà chargé) : sans requête par Trade."""
    prefetch_related_objects([position], "trades")
    for trade in position.trades.all():
        trade.broker = position.broker
    return position
