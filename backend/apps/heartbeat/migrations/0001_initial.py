"""HeartbeatStatus et HeartbeatConfig quittent apps.core : état seulement, les tables restent ; 0002 les renomme."""

import apps.heartbeat.models
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0003_trade"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HeartbeatStatus",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("connected", models.BooleanField(default=False)),
                        ("last_message_at", models.DateTimeField(blank=True, null=True)),
                        ("last_candle_at", models.DateTimeField(blank=True, null=True)),
                        ("symbols", models.JSONField(blank=True, default=list)),
                        ("timeframes", models.JSONField(blank=True, default=list)),
                        ("coherent", models.BooleanField(default=False)),
                        ("gaps", models.JSONField(blank=True, default=list)),
                        ("last_error", models.TextField(blank=True, default="")),
                        ("counters", models.JSONField(blank=True, default=dict)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "core_heartbeatstatus",
                        "verbose_name": "état du heartbeat",
                        "verbose_name_plural": "état du heartbeat",
                    },
                ),
                migrations.CreateModel(
                    name="HeartbeatConfig",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("symbols", models.JSONField(default=apps.heartbeat.models.default_symbols)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "core_heartbeatconfig",
                        "verbose_name": "réglages du heartbeat",
                        "verbose_name_plural": "réglages du heartbeat",
                    },
                ),
            ],
        ),
    ]
