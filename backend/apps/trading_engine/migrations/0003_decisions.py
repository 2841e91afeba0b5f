import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # À part : PostgreSQL refuse de modifier la table dans la transaction qui vient d'y écrire (0002).
    dependencies = [
        ("strategies", "0002_strategy_versions"),
        ("trading_engine", "0002_activation_version"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activestrategy",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="activations",
                to="strategies.strategyversion",
            ),
        ),
        migrations.CreateModel(
            name="Decision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("candle_at", models.DateTimeField()),
                (
                    "state",
                    models.CharField(
                        choices=[("pending", "en cours"), ("done", "prise")], default="pending", max_length=8
                    ),
                ),
                ("action", models.CharField(blank=True, default="", max_length=8)),
                ("message", models.TextField(blank=True, default="")),
                ("attempts", models.PositiveSmallIntegerField(default=1)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "activation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="decisions",
                        to="trading_engine.activestrategy",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.RESTRICT,
                        related_name="decisions",
                        to="strategies.strategyversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "décision",
                "ordering": ["-candle_at", "-id"],
            },
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.UniqueConstraint(fields=("activation", "candle_at"), name="one_decision_per_candle"),
        ),
    ]
