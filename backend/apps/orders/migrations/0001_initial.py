"""Trade quitte apps.core pour apps.orders : état seulement, la table (et ses lignes) reste ; 0002 la renomme."""

from decimal import Decimal

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("brokers", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("core", "0003_trade"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Trade",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("manual", "manuel"),
                                    ("webhook", "webhook"),
                                    ("strategy", "stratégie"),
                                    ("bot", "bot"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("symbol", models.CharField(max_length=64)),
                        ("side", models.CharField(choices=[("buy", "achat"), ("sell", "vente")], max_length=8)),
                        ("type", models.CharField(choices=[("market", "marché"), ("limit", "limite")], max_length=16)),
                        ("quantity", models.DecimalField(blank=True, decimal_places=18, max_digits=38, null=True)),
                        ("amount", models.DecimalField(blank=True, decimal_places=18, max_digits=38, null=True)),
                        ("percent", models.DecimalField(blank=True, decimal_places=4, max_digits=7, null=True)),
                        ("price", models.DecimalField(blank=True, decimal_places=18, max_digits=38, null=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "en cours d'envoi"),
                                    ("open", "ouvert"),
                                    ("partially_filled", "partiellement exécuté"),
                                    ("filled", "exécuté"),
                                    ("cancelled", "annulé"),
                                    ("rejected", "refusé"),
                                    ("failed", "échec"),
                                ],
                                default="pending",
                                max_length=20,
                            ),
                        ),
                        ("client_order_id", models.CharField(blank=True, max_length=64, null=True)),
                        ("exchange_order_id", models.CharField(blank=True, default="", max_length=64)),
                        (
                            "filled_quantity",
                            models.DecimalField(decimal_places=18, default=Decimal("0"), max_digits=38),
                        ),
                        ("average_price", models.DecimalField(blank=True, decimal_places=18, max_digits=38, null=True)),
                        ("fee", models.DecimalField(blank=True, decimal_places=18, max_digits=38, null=True)),
                        ("fee_currency", models.CharField(blank=True, default="", max_length=32)),
                        ("stop_loss", models.DecimalField(blank=True, decimal_places=18, max_digits=38, null=True)),
                        ("take_profit", models.DecimalField(blank=True, decimal_places=18, max_digits=38, null=True)),
                        ("error", models.TextField(blank=True, default="")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "broker",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, related_name="trades", to="brokers.broker"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="trades",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "core_trade",
                        "verbose_name": "trade",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(fields=["user", "-created_at"], name="core_trade_user_id_16b619_idx"),
                            models.Index(fields=["broker", "status"], name="core_trade_broker__206dd4_idx"),
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="trade",
                    constraint=models.UniqueConstraint(
                        fields=("user", "client_order_id"), name="unique_trade_client_order_id"
                    ),
                ),
            ],
        ),
    ]
