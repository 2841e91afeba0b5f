"""Ce que « Tout couper » touche, broker par broker : activations en marche, ordres ouverts posés par Aristobot,
positions en cours de ses livres (activations, webhooks, manuel). Sert à l'aperçu (dialogue de confirmation) et à
la passe elle-même."""

from django.db.models import QuerySet

from apps.brokers.models import Broker
from apps.core.exceptions import NotFound
from apps.core.french_numbers import french_number
from apps.orders import books
from apps.orders.models import Position, Trade
from apps.trading_engine.models import ActiveStrategy

ALL_BROKERS = "tous les brokers"
LIVE_TRADE = (Trade.Status.PENDING, *Trade.OPEN_STATUSES)
TO_SUSPEND = (ActiveStrategy.State.RUNNING, ActiveStrategy.State.ERROR)


def brokers_in_scope(*, user, broker_id=None) -> list[Broker]:
    """Les brokers de `user` (le sien seul, même pour `dev`) ; `broker_id` d'un autre ou inconnu : NotFound (404)."""
    brokers = Broker.objects.filter(user=user).select_related("user").order_by("pk")
    if broker_id is None:
        return list(brokers)
    try:
        found = brokers.filter(pk=int(broker_id)).first()
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise NotFound(f"Broker inconnu : {broker_id}.")
    return [found]


def activations(broker: Broker) -> QuerySet:
    return ActiveStrategy.objects.filter(broker=broker, is_active=True, state__in=TO_SUSPEND).select_related(
        "strategy", "broker", "user"
    )


def open_orders(broker: Broker) -> QuerySet:
    """Ordres en cours posés par Aristobot sur ce broker : entrées, ordres limite, jambes de protection."""
    return Trade.objects.filter(broker=broker, status__in=LIVE_TRADE).order_by("pk")


def live_positions(broker: Broker) -> QuerySet:
    return Position.objects.filter(broker=broker, status__in=Position.LIVE_STATUSES).order_by("pk")


def held_positions(broker: Broker) -> QuerySet:
    """Positions qui détiennent des pièces (à vendre) ; celles en ouverture tombent avec l'annulation de leur achat."""
    return live_positions(broker).filter(status__in=(Position.Status.OPEN, Position.Status.CLOSING))


def position_text(position: Position) -> str:
    base = position.symbol.split("/")[0]
    return f"{position.symbol} ({books.label(position.book)}, {french_number(position.quantity)} {base})"


def order_text(trade: Trade) -> str:
    kind = trade.get_role_display() if trade.role else f"{trade.get_side_display()} {trade.get_type_display()}"
    return f"Ordre n° {trade.pk} ({kind} {trade.symbol})"


def preview(*, user, broker_id=None) -> dict:
    """Ce qui sera fait, par broker : activations à suspendre, ordres à annuler, positions à vendre."""
    rows = []
    for broker in brokers_in_scope(user=user, broker_id=broker_id):
        positions = list(held_positions(broker))
        rows.append(
            {
                "id": broker.pk,
                "name": broker.name,
                "activations": activations(broker).count(),
                "orders": open_orders(broker).count(),
                "positions": len(positions),
                "position_list": [position_text(p) for p in positions],
            }
        )
    totals = {key: sum(row[key] for row in rows) for key in ("activations", "orders", "positions")}
    return {"scope": rows[0]["name"] if broker_id is not None else ALL_BROKERS, "brokers": rows, **totals}
