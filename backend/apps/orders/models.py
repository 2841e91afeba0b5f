from decimal import Decimal

from django.conf import settings
from django.db import models

QUANTITY = {"max_digits": 38, "decimal_places": 18}


class Trade(models.Model):
    """Une tentative d'ordre, réussie ou non, passée par le service d'ordres (apps.orders.services)."""

    class Source(models.TextChoices):
        MANUAL = "manual", "manuel"
        WEBHOOK = "webhook", "webhook"
        STRATEGY = "strategy", "stratégie"
        BOT = "bot", "bot"

    class Side(models.TextChoices):
        BUY = "buy", "achat"
        SELL = "sell", "vente"

    class Type(models.TextChoices):
        MARKET = "market", "marché"
        LIMIT = "limit", "limite"

    class Status(models.TextChoices):
        PENDING = "pending", "en cours d'envoi"
        OPEN = "open", "ouvert"
        PARTIALLY_FILLED = "partially_filled", "partiellement exécuté"
        FILLED = "filled", "exécuté"
        CANCELLED = "cancelled", "annulé"
        REJECTED = "rejected", "refusé"
        FAILED = "failed", "échec"

    OPEN_STATUSES = (Status.OPEN, Status.PARTIALLY_FILLED)

    # PROTECT : l'historique des ordres survit ; supprimer un broker ou un utilisateur qui en a est refusé.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trades")
    broker = models.ForeignKey("brokers.Broker", on_delete=models.PROTECT, related_name="trades")
    source = models.CharField(max_length=16, choices=Source.choices)
    symbol = models.CharField(max_length=64)
    side = models.CharField(max_length=8, choices=Side.choices)
    type = models.CharField(max_length=16, choices=Type.choices)
    quantity = models.DecimalField(null=True, blank=True, **QUANTITY)  # base, arrondie au pas du marché
    amount = models.DecimalField(null=True, blank=True, **QUANTITY)  # montant demandé en devise de cotation
    percent = models.DecimalField(null=True, blank=True, max_digits=7, decimal_places=4)
    price = models.DecimalField(null=True, blank=True, **QUANTITY)  # prix limite
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    client_order_id = models.CharField(max_length=64, null=True, blank=True)
    exchange_order_id = models.CharField(max_length=64, blank=True, default="")
    filled_quantity = models.DecimalField(default=Decimal(0), **QUANTITY)
    average_price = models.DecimalField(null=True, blank=True, **QUANTITY)
    fees = models.JSONField(default=dict, blank=True)  # frais réels par devise, depuis les exécutions : {"BNB": "0.01"}
    stop_loss = models.DecimalField(null=True, blank=True, **QUANTITY)
    take_profit = models.DecimalField(null=True, blank=True, **QUANTITY)
    error = models.TextField(blank=True, default="")
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")  # demande reçue (conflits d'id)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "trade"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "client_order_id"], name="unique_trade_client_order_id"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["broker", "status"])]

    def __str__(self) -> str:
        return f"{self.side} {self.quantity or self.amount or self.percent} {self.symbol} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def executed(self) -> bool:
        """Exécuté au moins en partie (un ordre partiellement exécuté puis annulé ou expiré compte)."""
        return self.filled_quantity > 0

    @property
    def fee(self) -> Decimal | None:
        """Frais dans la devise principale (la première payée) ; None si aucun n'est connu."""
        return Decimal(next(iter(self.fees.values()))) if self.fees else None

    @property
    def fee_currency(self) -> str:
        return next(iter(self.fees), "")

    def fee_amounts(self) -> dict[str, Decimal]:
        return {currency: Decimal(cost) for currency, cost in self.fees.items()}
