from decimal import Decimal

from django.conf import settings
from django.db import models

from apps.core.fields import EncryptedTextField

PAPER = "paper"
AMOUNT = {"max_digits": 38, "decimal_places": 18}


class Broker(models.Model):
    """Un compte d'exchange d'un utilisateur (un id CCXT, ou `paper`) ; clés chiffrées au repos."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brokers")
    name = models.CharField(max_length=100)
    exchange = models.CharField(max_length=32)
    description = models.CharField(max_length=200, blank=True, default="")
    api_key = EncryptedTextField(blank=True, default="")
    api_secret = EncryptedTextField(blank=True, default="")
    api_password = EncryptedTextField(blank=True, default="")
    is_testnet = models.BooleanField(default=False)
    paper_starting_balance = models.DecimalField(max_digits=30, decimal_places=8, default=Decimal("10000"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "broker"
        ordering = ["user_id", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.exchange})"

    @property
    def is_paper(self) -> bool:
        return self.exchange == PAPER

    @property
    def is_default(self) -> bool:
        # Une seule source de vérité : User.default_broker (donc au plus un par utilisateur).
        return self.pk is not None and self.user.default_broker_id == self.pk

    @property
    def market_source(self) -> str:
        """Nom d'exchange des paires dans Market : les paires du testnet diffèrent de la production."""
        return f"{self.exchange}-testnet" if self.is_testnet and not self.is_paper else self.exchange


class PaperBalance(models.Model):
    """Solde d'une devise sur un broker paper : `free` disponible, `used` réservé par les ordres ouverts."""

    broker = models.ForeignKey(Broker, on_delete=models.CASCADE, related_name="paper_balances")
    currency = models.CharField(max_length=32)
    free = models.DecimalField(default=Decimal("0"), **AMOUNT)
    used = models.DecimalField(default=Decimal("0"), **AMOUNT)

    class Meta:
        verbose_name = "solde paper"
        constraints = [models.UniqueConstraint(fields=["broker", "currency"], name="unique_paper_balance")]


class PaperOrder(models.Model):
    """Ordre sur l'exchange paper ; un ordre s'exécute en une fois, au prix de marché ou à son prix."""

    class Status(models.TextChoices):
        OPEN = "open"
        CLOSED = "closed"
        CANCELED = "canceled"

    # PROTECT : un broker qui a un historique d'ordres ne se supprime pas en silence.
    broker = models.ForeignKey(Broker, on_delete=models.PROTECT, related_name="paper_orders")
    client_order_id = models.CharField(max_length=64, blank=True, default="")
    symbol = models.CharField(max_length=64)
    type = models.CharField(max_length=16)
    side = models.CharField(max_length=4)
    amount = models.DecimalField(**AMOUNT)
    # Achat au marché au montant (quoteOrderQty) : tout ce qui peut être dépensé ; `amount` est alors la quantité
    # estimée à l'envoi, fixée à l'exécution (ce que ce montant achète au prix d'exécution).
    quote_cost = models.DecimalField(null=True, blank=True, **AMOUNT)
    price = models.DecimalField(null=True, blank=True, **AMOUNT)
    trigger_price = models.DecimalField(null=True, blank=True, **AMOUNT)
    trigger_kind = models.CharField(max_length=16, blank=True, default="")
    order_list = models.CharField(max_length=64, blank=True, default="")
    # Heure du marché à l'envoi : ouverture de la bougie 1m qui suit la dernière enregistrée ; les bougies qui
    # l'exécutent s'ouvrent à partir d'elle (la même en direct, à la minute près ; la seule juste en rejeu).
    market_time = models.DateTimeField(null=True, blank=True)  # OCO : l'exécution d'une jambe annule l'autre
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    reserved = models.DecimalField(default=Decimal("0"), **AMOUNT)
    filled = models.DecimalField(default=Decimal("0"), **AMOUNT)
    average = models.DecimalField(null=True, blank=True, **AMOUNT)
    cost = models.DecimalField(default=Decimal("0"), **AMOUNT)
    fee = models.DecimalField(default=Decimal("0"), **AMOUNT)
    fee_currency = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    filled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ordre paper"
        ordering = ["created_at", "id"]


class KeysReveal(models.Model):
    """Une demande « Afficher » des clés d'un broker (mot de passe du compte exigé) : journal et limite."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="keys_reveals")
    broker = models.ForeignKey(Broker, on_delete=models.SET_NULL, null=True, related_name="keys_reveals")
    ip = models.GenericIPAddressField(null=True, blank=True)
    granted = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "affichage des clés"
        verbose_name_plural = "affichages des clés"
        ordering = ["-created_at"]
