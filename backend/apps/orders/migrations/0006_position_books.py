"""Les livres : chaque position (et chaque ordre) appartient à sa source ; les lignes existantes le sont d'après
leur origine (activation, webhook et son comment, sinon trading manuel)."""

from decimal import Decimal
from django.db import migrations, models


def _book(row) -> str:
    if row.active_strategy_id is not None:
        return f"activation:{row.active_strategy_id}"
    if row.source == "webhook":
        name = (row.webhook.signal or {}).get("comment", "") if row.webhook_id else ""
        return f"webhook:{str(name).strip()}"[:100]
    return "manual"


def books_by_origin(apps, schema_editor):
    Position = apps.get_model("orders", "Position")
    Trade = apps.get_model("orders", "Trade")
    for position in Position.objects.select_related("webhook").iterator():
        position.book = _book(position)
        position.save(update_fields=["book"])
    for trade in Trade.objects.select_related("webhook", "position").iterator():
        trade.book = trade.position.book if trade.position_id else _book(trade)
        trade.save(update_fields=["book"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0005_positions"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="position",
            name="one_live_position_per_symbol",
        ),
        migrations.AddField(
            model_name="position",
            name="book",
            field=models.CharField(default="manual", max_length=100),
        ),
        migrations.AddField(
            model_name="position",
            name="external_note",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="position",
            name="external_quantity",
            field=models.DecimalField(decimal_places=18, default=Decimal("0"), max_digits=38),
        ),
        migrations.AddField(
            model_name="trade",
            name="book",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.RunPython(books_by_origin, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["opening", "open", "closing"])),
                fields=("user", "broker", "symbol", "book"),
                name="one_live_position_per_book",
            ),
        ),
    ]
