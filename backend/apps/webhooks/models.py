import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

RECEIVE_PATH = "/api/webhooks/tradingview/{token}/"  # l'URL à donner à TradingView (apps/webhooks/routing.py)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class WebhookToken(models.Model):
    """Le secret de l'URL TradingView d'un utilisateur (TradingView ne sait pas signer : l'URL est la clé)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_token")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    tradingview_only = models.BooleanField(default=False)  # n'accepter que les IP publiées par TradingView
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "jeton webhook"
        verbose_name_plural = "jetons webhook"

    def __str__(self) -> str:
        return f"Jeton webhook de {self.user}"


class Webhook(models.Model):
    """Une livraison authentifiée, gardée brute même invalide ; `trade` est l'ordre qu'elle a produit."""

    class Status(models.TextChoices):
        RECEIVED = "received", "reçu"
        PROCESSED = "processed", "traité"
        DUPLICATE = "duplicate", "doublon"
        INVALID = "invalid", "invalide"
        FAILED = "failed", "échec"
        IGNORED = "ignored", "ignoré"  # close sans position ouverte

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    received_at = models.DateTimeField(default=timezone.now)
    body = models.BinaryField()  # octets reçus, tels quels
    body_sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=200, blank=True, default="")
    headers = models.JSONField(default=dict, blank=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    signal = models.JSONField(null=True, blank=True)  # signal validé (nombres en texte) ; null tant qu'il n'est pas lu
    signal_id = models.CharField(max_length=100, blank=True, default="")
    error = models.TextField(blank=True, default="")
    trade = models.ForeignKey("orders.Trade", null=True, blank=True, on_delete=models.SET_NULL, related_name="webhooks")
    claimed_until = models.DateTimeField(null=True, blank=True)  # bail du worker qui le traite
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "webhook"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-received_at"], name="webhook_user_recent"),
            models.Index(fields=["user", "signal_id"], name="webhook_user_signal_id"),
            models.Index(fields=["user", "body_sha256"], name="webhook_user_body"),
            models.Index(fields=["id"], condition=models.Q(status="received"), name="webhook_pending"),
        ]

    def __str__(self) -> str:
        return f"Webhook n° {self.pk} ({self.get_status_display()})"

    @property
    def body_text(self) -> str:
        return bytes(self.body).decode("utf-8", errors="replace")


class WebhookRateWindow(models.Model):
    """Livraisons d'un jeton pendant une minute (horloge), comptées atomiquement ; au-delà de la limite, les
    refus ne sont plus qu'un compte ici (la première seule est enregistrée comme webhook)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    deliveries = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "débit des webhooks (minute)"
        constraints = [models.UniqueConstraint(fields=["user", "minute"], name="webhook_rate_user_minute")]
