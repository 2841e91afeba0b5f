from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

# « Stop » pose les deux dates ici : une activation arrêtée ne peut plus retomber dans sa fenêtre.
STOPPED_DATE = datetime(1, 1, 1, tzinfo=UTC)
MONEY = {"max_digits": 30, "decimal_places": 8}


class ActiveStrategy(models.Model):
    """Une stratégie lancée en direct par un utilisateur sur un broker et une paire (Trading BOT)."""

    class State(models.TextChoices):
        RUNNING = "running", "en marche"
        SUSPENDED = "suspended", "suspendue"
        STOPPED = "stopped", "arrêtée"
        ERROR = "error", "en erreur"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="active_strategies")
    # Une stratégie active ne se supprime pas (strategies.services) ; supprimée, ses activations arrêtées partent avec.
    strategy = models.ForeignKey("strategies.Strategy", on_delete=models.CASCADE, related_name="activations")
    # Le code qui tourne : la version testée au lancement (ou choisie depuis) ; modifier la stratégie n'y change rien.
    version = models.ForeignKey("strategies.StrategyVersion", on_delete=models.RESTRICT, related_name="activations")
    broker = models.ForeignKey("brokers.Broker", on_delete=models.PROTECT, related_name="activations")
    symbol = models.CharField(max_length=64)
    timeframe = models.CharField(max_length=4)
    start_date = models.DateTimeField()
    end_date = models.DateTimeField()
    is_active = models.BooleanField(default=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.RUNNING)
    initial_amount = models.DecimalField(**MONEY)
    current_balance = models.DecimalField(default=Decimal(0), **MONEY)
    last_error = models.TextField(blank=True, default="")
    error_count = models.PositiveIntegerField(default=0)  # erreurs d'affilée ; 3 : état « error »
    last_decision = models.TextField(blank=True, default="")
    last_decision_at = models.DateTimeField(null=True, blank=True)
    last_candle_at = models.DateTimeField(null=True, blank=True)  # ouverture de la dernière bougie décidée
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "stratégie active"
        verbose_name_plural = "stratégies actives"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "broker", "symbol"], condition=Q(is_active=True), name="unique_active_strategy"
            )
        ]
        indexes = [models.Index(fields=["is_active", "symbol", "timeframe"])]

    def __str__(self) -> str:
        return f"{self.strategy_id} {self.symbol} {self.timeframe} ({self.state})"


class Decision(models.Model):
    """La décision d'une activation sur une bougie clôturée, notée une fois : `pending` dès que le moteur la prend,
    `done` avec son issue. Une décision restée `pending` (moteur tué, base partie pendant la vague) est reprise au
    retour, tant que la bougie est fraîche ; une décision `done` ne se reprend jamais."""

    class State(models.TextChoices):
        PENDING = "pending", "en cours"
        DONE = "done", "prise"

    activation = models.ForeignKey(ActiveStrategy, on_delete=models.CASCADE, related_name="decisions")
    candle_at = models.DateTimeField()  # ouverture de la bougie
    version = models.ForeignKey("strategies.StrategyVersion", on_delete=models.RESTRICT, related_name="decisions")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    action = models.CharField(max_length=8, blank=True, default="")  # long, exit, nothing, error
    message = models.TextField(blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "décision"
        ordering = ["-candle_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["activation", "candle_at"], name="one_decision_per_candle")]

    def __str__(self) -> str:
        return f"{self.activation_id} {self.candle_at:%Y-%m-%d %H:%M} ({self.state})"
