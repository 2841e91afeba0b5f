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
        STOP_LOSS_LIMIT = "stop_loss_limit", "stop-loss limite"
        TAKE_PROFIT_LIMIT = "take_profit_limit", "take-profit limite"

    class Role(models.TextChoices):
        """Place de l'ordre dans sa position : ordre ordinaire, ou jambe de protection posée par Aristobot."""

        ORDER = "", "ordre"
        STOP_LOSS = "stop_loss", "stop-loss"
        TAKE_PROFIT = "take_profit", "take-profit"

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
    type = models.CharField(max_length=20, choices=Type.choices)
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
    position = models.ForeignKey(
        "orders.Position", null=True, blank=True, on_delete=models.SET_NULL, related_name="trades"
    )
    role = models.CharField(max_length=16, choices=Role.choices, blank=True, default=Role.ORDER)
    order_list_id = models.CharField(max_length=64, blank=True, default="")  # OCO : identifiant de la liste
    webhook = models.ForeignKey("webhooks.Webhook", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    active_strategy_id = models.PositiveBigIntegerField(null=True, blank=True)
    book = models.CharField(max_length=100, blank=True, default="")  # livre de la position suivie (apps.orders.books)
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


class Position(models.Model):
    """Une position spot longue d'un livre (trading manuel, une activation, une source de webhook :
    apps.orders.books) sur (utilisateur, broker, paire), ouverte par un achat exécuté. Plusieurs livres peuvent
    tenir la même paire en même temps, chacun avec sa quantité, sa protection et son P&L.

    Quantité, prix d'entrée, frais et P&L viennent des exécutions réelles de ses Trades
    (apps.orders.positions.recompute) ; la protection (OCO, ordres stop / take-profit, ou surveillance) est
    posée par apps.orders.protection.
    """

    class Status(models.TextChoices):
        OPENING = "opening", "en ouverture"
        OPEN = "open", "ouverte"
        CLOSING = "closing", "en clôture"
        CLOSED = "closed", "clôturée"
        FAILED = "failed", "échec"

    class Protection(models.TextChoices):
        OCO = "oco", "sur l'exchange (OCO)"
        ORDERS = "orders", "sur l'exchange (ordres stop / take-profit)"
        WATCHED = "watched", "surveillé par Aristobot"
        NONE = "none", "aucune"

    class ExitReason(models.TextChoices):
        STOP_LOSS = "stop_loss", "stop-loss"
        TAKE_PROFIT = "take_profit", "take-profit"
        SIGNAL = "signal", "signal de la stratégie"
        MANUAL = "manual", "clôture manuelle"
        WEBHOOK = "webhook", "webhook"
        EXTERNAL = "external", "vendue hors d'Aristobot"
        END = "end", "fin de la stratégie"

    LIVE_STATUSES = (Status.OPENING, Status.OPEN, Status.CLOSING)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="positions")
    broker = models.ForeignKey("brokers.Broker", on_delete=models.PROTECT, related_name="positions")
    symbol = models.CharField(max_length=64)
    source = models.CharField(max_length=16, choices=Trade.Source.choices)
    webhook = models.ForeignKey(
        "webhooks.Webhook", null=True, blank=True, on_delete=models.SET_NULL, related_name="positions"
    )
    active_strategy_id = models.PositiveBigIntegerField(null=True, blank=True)
    book = models.CharField(max_length=100, default="manual")  # apps.orders.books
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPENING)
    entry_trade = models.ForeignKey(Trade, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    quantity = models.DecimalField(default=Decimal(0), **QUANTITY)  # base détenue, nette des frais en base
    # Reliquat : la part de `quantity` invendable (sous le pas de quantité ou le minimum du marché) ; « Clôturer »
    # vend quantity − remainder, le reliquat reste sur le compte.
    remainder = models.DecimalField(default=Decimal(0), **QUANTITY)
    entry_price = models.DecimalField(null=True, blank=True, **QUANTITY)  # prix moyen des achats exécutés
    entry_cost = models.DecimalField(default=Decimal(0), **QUANTITY)  # cotation dépensée, frais compris
    bought_quantity = models.DecimalField(default=Decimal(0), **QUANTITY)  # base reçue (nette des frais en base)
    sold_quantity = models.DecimalField(default=Decimal(0), **QUANTITY)
    proceeds = models.DecimalField(default=Decimal(0), **QUANTITY)  # cotation reçue des ventes, frais déduits
    stop_loss = models.DecimalField(null=True, blank=True, **QUANTITY)
    take_profit = models.DecimalField(null=True, blank=True, **QUANTITY)
    protection = models.CharField(max_length=10, choices=Protection.choices, default=Protection.NONE)
    protection_note = models.TextField(blank=True, default="")
    protection_generation = models.PositiveIntegerField(default=0)  # identifiants client des jambes
    exit_price = models.DecimalField(null=True, blank=True, **QUANTITY)
    exit_reason = models.CharField(max_length=12, choices=ExitReason.choices, blank=True, default="")
    fees = models.DecimalField(default=Decimal(0), **QUANTITY)  # entrée + sortie, en cotation
    realized_pnl = models.DecimalField(default=Decimal(0), **QUANTITY)
    realized_pnl_pct = models.DecimalField(null=True, blank=True, max_digits=20, decimal_places=8)
    sync_error = models.TextField(blank=True, default="")  # dernière erreur du réconciliateur, vide sinon
    # Base retirée hors d'Aristobot (le compte en détient moins que la somme des livres) : déduite par le
    # réconciliateur, avec la raison.
    external_quantity = models.DecimalField(default=Decimal(0), **QUANTITY)
    external_note = models.TextField(blank=True, default="")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "position"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "broker", "symbol", "book"],
                condition=models.Q(status__in=["opening", "open", "closing"]),
                name="one_live_position_per_book",
            ),
        ]
        indexes = [models.Index(fields=["user", "status", "-opened_at"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.symbol} {self.quantity} ({self.status})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES
