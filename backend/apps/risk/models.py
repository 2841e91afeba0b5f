from django.conf import settings
from django.db import models

MONEY = {"max_digits": 30, "decimal_places": 8}
PERCENT = {"max_digits": 7, "decimal_places": 4}


class Limit(models.TextChoices):
    DAILY_LOSS = "daily_loss", "perte maximale du jour"
    DAILY_LOSS_PCT = "daily_loss_pct", "perte maximale du jour en %"
    DRAWDOWN = "drawdown", "baisse maximale depuis le sommet"
    EXPOSURE = "exposure", "exposition maximale"
    SYMBOL_EXPOSURE = "symbol_exposure", "exposition maximale par paire"
    OPEN_POSITIONS = "open_positions", "nombre maximal de positions ouvertes"
    COOLDOWN = "cooldown", "pause après des pertes consécutives"


class RiskLimits(models.Model):
    """Les limites d'un broker ; chacune facultative (vide = désactivée). Montants en devise de cotation."""

    class Scope(models.TextChoices):
        SOURCE = "source", "par source"
        ACCOUNT = "account", "tout le compte"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="risk_limits")
    broker = models.OneToOneField("brokers.Broker", on_delete=models.CASCADE, related_name="risk_limits")
    max_daily_loss = models.DecimalField(null=True, blank=True, **MONEY)
    max_daily_loss_pct = models.DecimalField(null=True, blank=True, **PERCENT)
    max_drawdown_pct = models.DecimalField(null=True, blank=True, **PERCENT)
    max_exposure = models.DecimalField(null=True, blank=True, **MONEY)
    max_symbol_exposure = models.DecimalField(null=True, blank=True, **MONEY)
    max_open_positions = models.PositiveIntegerField(null=True, blank=True)
    cooldown_losses = models.PositiveIntegerField(null=True, blank=True)  # N pertes d'affilée...
    cooldown_minutes = models.PositiveIntegerField(null=True, blank=True)  # ... M minutes sans entrée
    cooldown_scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.ACCOUNT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "limites de risque"
        verbose_name_plural = "limites de risque"

    def __str__(self) -> str:
        return f"Limites de {self.broker}"


class RiskReach(models.Model):
    """Une limite atteinte, de son atteinte à sa levée : une alerte par atteinte, « limite atteinte » tant qu'elle
    dure. `until` : levée prévue (jour suivant, fin de la pause) ; `scope` : la paire ou le livre concerné."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    broker = models.ForeignKey("brokers.Broker", on_delete=models.CASCADE, related_name="risk_reaches")
    limit = models.CharField(max_length=20, choices=Limit.choices)
    scope = models.CharField(max_length=100, blank=True, default="")
    message = models.TextField()
    figures = models.JSONField(default=dict)
    reached_at = models.DateTimeField()
    until = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "limite atteinte"
        verbose_name_plural = "limites atteintes"
        ordering = ["-reached_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["broker", "limit", "scope"], condition=models.Q(lifted_at=None), name="one_live_risk_reach"
            ),
        ]

    def __str__(self) -> str:
        return self.message


class RiskOverride(models.Model):
    """Une entrée manuelle passée malgré une limite, sur confirmation explicite de l'utilisateur."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    broker = models.ForeignKey("brokers.Broker", on_delete=models.PROTECT, related_name="risk_overrides")
    trade = models.ForeignKey("orders.Trade", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    limit = models.CharField(max_length=20, choices=Limit.choices)
    message = models.TextField()
    figures = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "limite outrepassée"
        verbose_name_plural = "limites outrepassées"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} : {self.message}"
