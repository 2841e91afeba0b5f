from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db import models

from apps.core.french_numbers import french_number

MONEY = {"max_digits": 38, "decimal_places": 12}


class BacktestRun(models.Model):
    """Un backtest demandé par un utilisateur : ses paramètres, son état (file d'attente, calcul), son résultat.

    Les colonnes de la table `backtest_results` de l'utilisateur, plus le hash du code, les frais, les trades,
    la courbe de valeur réduite (affichage) et complète (export, tableaux compacts dans `equity_data`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "en attente"
        RUNNING = "running", "en cours"
        DONE = "done", "terminé"
        FAILED = "failed", "échec"
        CANCELLED = "cancelled", "annulé"

    class Phase(models.TextChoices):
        DOWNLOAD = "download", "téléchargement des bougies"
        COMPUTE = "compute", "calcul"

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="backtests")
    strategy = models.ForeignKey(
        "strategies.Strategy", on_delete=models.SET_NULL, null=True, blank=True, related_name="backtests"
    )
    strategy_name = models.CharField(max_length=100)
    # La version testée de la stratégie qui a servi (son code et son hash restent ici si elle disparaît).
    version = models.ForeignKey(
        "strategies.StrategyVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="backtests"
    )
    code = models.TextField()
    code_hash = models.CharField(max_length=64)
    broker = models.ForeignKey("brokers.Broker", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    broker_name = models.CharField(max_length=100)
    exchange = models.CharField(max_length=32)  # l'exchange des bougies dans Candle (binance pour le paper)
    symbol = models.CharField(max_length=32)
    timeframe = models.CharField(max_length=4)
    start = models.DateTimeField()
    end = models.DateTimeField()
    initial_amount = models.DecimalField(**MONEY)
    fee = models.DecimalField(max_digits=12, decimal_places=8, null=True, blank=True)  # None : frais du marché
    allow_gaps = models.BooleanField(default=False)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=16, choices=Phase.choices, null=True, blank=True)
    progress = models.FloatField(default=0)
    error = models.TextField(blank=True, default="")
    partial = models.BooleanField(default=False)
    cancel_requested = models.BooleanField(default=False)
    gaps = models.JSONField(default=list, blank=True)
    bars = models.PositiveIntegerField(default=0)

    final_amount = models.DecimalField(null=True, blank=True, **MONEY)
    total_trades = models.PositiveIntegerField(default=0)
    winning_trades = models.PositiveIntegerField(default=0)
    losing_trades = models.PositiveIntegerField(default=0)
    max_drawdown = models.DecimalField(max_digits=20, decimal_places=8, null=True, blank=True)
    sharpe_ratio = models.DecimalField(max_digits=20, decimal_places=8, null=True, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    trades_detail = models.JSONField(default=list, blank=True)
    equity = models.JSONField(default=list, blank=True)
    equity_data = models.BinaryField(null=True, blank=True, editable=False)
    duration_seconds = models.FloatField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "backtest"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "id"], name="backtest_status_idx")]

    def __str__(self) -> str:
        return f"{self.strategy_name} {self.symbol} {self.timeframe} ({self.get_status_display()})"

    @property
    def progress_label(self) -> str:
        if self.status != self.Status.RUNNING or self.phase is None:
            return ""
        prefix = "Téléchargement des bougies" if self.phase == self.Phase.DOWNLOAD else "Calcul"
        # Sous 10 %, une décimale : une stratégie lente avance visiblement (« Calcul 0,3 % »).
        shown = french_number(Decimal(repr(self.progress))) if self.progress < 10 else int(self.progress)
        return f"{prefix} {shown} %"

    def full_curve(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(heures en ms, valeur, achat-conservation) de chaque bougie ; vides sans résultat."""
        if not self.equity_data:
            return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
        rows = np.frombuffer(bytes(self.equity_data), dtype=np.float64).reshape(3, -1)
        return rows[0].astype(np.int64), rows[1], rows[2]

    @staticmethod
    def pack_curve(times, equity, buy_hold) -> bytes:
        return np.stack([np.asarray(times, dtype=np.float64), equity, buy_hold]).astype(np.float64).tobytes()
