"""Frais par devise (JSON) à la place d'un seul montant et d'une seule devise ; les frais connus sont gardés."""

from django.db import migrations, models


def fees_from_fee(apps, schema_editor):
    Trade = apps.get_model("orders", "Trade")
    for trade in Trade.objects.exclude(fee__isnull=True).only("pk", "fee", "fee_currency"):
        trade.fees = {trade.fee_currency or "?": format(trade.fee.normalize(), "f")}
        trade.save(update_fields=["fees"])


def fee_from_fees(apps, schema_editor):
    from decimal import Decimal

    Trade = apps.get_model("orders", "Trade")
    for trade in Trade.objects.exclude(fees={}).only("pk", "fees"):
        currency, cost = next(iter(trade.fees.items()))
        trade.fee, trade.fee_currency = Decimal(cost), currency
        trade.save(update_fields=["fee", "fee_currency"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_rename_indexes"),
    ]

    operations = [
        migrations.AddField(model_name="trade", name="fees", field=models.JSONField(blank=True, default=dict)),
        migrations.RunPython(fees_from_fee, fee_from_fees),
        migrations.RemoveField(model_name="trade", name="fee"),
        migrations.RemoveField(model_name="trade", name="fee_currency"),
        migrations.AddField(
            model_name="trade",
            name="request_fingerprint",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
    ]
