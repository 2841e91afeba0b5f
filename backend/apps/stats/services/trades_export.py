"""Les positions clôturées derrière le tableau des Statistiques, ligne par ligne (export CSV)."""

from django.db.models import QuerySet

from apps.core.serializers import decimal_text
from apps.stats.services.performance import webhook_label

TRADE_COLUMNS = (
    "id",
    "broker",
    "symbol",
    "source",
    "strategy_activation",
    "webhook_label",
    "opened_at",
    "closed_at",
    "quantity_sold",
    "entry_price",
    "exit_price",
    "exit_reason",
    "fees",
    "realized_pnl",
    "realized_pnl_pct",
)


def trade_rows(positions: QuerySet):
    rows = (
        positions.select_related("broker")
        .annotate(label=webhook_label())
        .order_by("closed_at", "pk")
        .iterator(chunk_size=2000)
    )
    for position in rows:
        yield (
            position.pk,
            position.broker.name,
            position.symbol,
            position.source,
            position.active_strategy_id or "",
            position.label if position.source == "webhook" else "",
            position.opened_at.isoformat(),
            position.closed_at.isoformat(),
            decimal_text(position.sold_quantity),
            decimal_text(position.entry_price),
            decimal_text(position.exit_price),
            position.exit_reason,
            decimal_text(position.fees),
            decimal_text(position.realized_pnl),
            decimal_text(position.realized_pnl_pct),
        )
