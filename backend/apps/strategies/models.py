from django.conf import settings
from django.db import models


class Strategy(models.Model):
    """Stratégie d'un utilisateur : son code Python (une sous-classe de Strategy) et l'état du dernier test."""

    class Timeframe(models.TextChoices):
        M1 = "1m"
        M3 = "3m"
        M5 = "5m"
        M10 = "10m"
        M15 = "15m"
        H1 = "1h"
        H2 = "2h"
        H4 = "4h"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="strategies")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    code = models.TextField()
    timeframe = models.CharField(max_length=4, choices=Timeframe.choices, default=Timeframe.M15)
    is_valid = models.BooleanField(default=False)
    last_tested_at = models.DateTimeField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "stratégie"
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="unique_strategy_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StrategyVersion(models.Model):
    """Un code de stratégie tel qu'il a été passé par « Tester », et le résultat : ce qu'une activation lance et
    garde (figé), ce qu'un backtest note. Modifier la stratégie crée une autre version, ne change pas celle-ci."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    code = models.TextField()
    code_hash = models.CharField(max_length=64)  # sha256 du code
    is_valid = models.BooleanField(default=False)
    error_message = models.TextField(blank=True)
    tested_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "version de stratégie"
        constraints = [models.UniqueConstraint(fields=["strategy", "code_hash"], name="unique_strategy_version")]
        ordering = ["-tested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.strategy_id} {self.code_hash[:12]}"
