from django.db import models


class BalanceSnapshot(models.Model):
    """La valeur d'un compte à un instant, valorisée comme le portefeuille du Trading manuel (USD)."""

    class Reason(models.TextChoices):
        START = "start", "démarrage du moteur"
        HOURLY = "hourly", "chaque heure"
        POSITION_CLOSED = "position_closed", "position clôturée"

    broker = models.ForeignKey("brokers.Broker", on_delete=models.CASCADE, related_name="balance_snapshots")
    taken_at = models.DateTimeField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    total_usd = models.DecimalField(max_digits=30, decimal_places=8)
    # {actif: {"total": "...", "usd_value": "..." ou null}} ; un actif sans prix ne compte pas dans le total
    assets = models.JSONField(default=dict)

    class Meta:
        verbose_name = "instantané de solde"
        verbose_name_plural = "instantanés de solde"
        ordering = ["broker_id", "taken_at"]
        indexes = [models.Index(fields=["broker", "taken_at"], name="snapshot_broker_time")]

    def __str__(self) -> str:
        return f"{self.broker} {self.taken_at:%Y-%m-%d %H:%M} : {self.total_usd} USD"
