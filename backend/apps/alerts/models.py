from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.core.fields import EncryptedTextField


class Channel(models.TextChoices):
    APP = "app", "dans l'application"
    TELEGRAM = "telegram", "Telegram"
    EMAIL = "email", "e-mail"


class AlertEvent(models.Model):
    """Un événement pour un utilisateur (la cloche) ; `key` empêche de l'enregistrer deux fois."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_events")
    kind = models.CharField(max_length=40)
    text = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    dispatched = models.BooleanField(default=False)  # livraisons créées pour les canaux activés

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="alert_event_once")]
        verbose_name = "alerte"

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class AlertDelivery(models.Model):
    """Un envoi d'une alerte sur un canal extérieur : la file que vide `run_alerts`."""

    class Status(models.TextChoices):
        PENDING = "pending", "en attente"
        SENDING = "sending", "en cours d'envoi"
        SENT = "sent", "envoyé"
        FAILED = "failed", "échec"
        INTERRUPTED = "interrupted", "interrompu pendant l'envoi"

    event = models.ForeignKey(AlertEvent, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "channel"], name="alert_delivery_once")]
        indexes = [models.Index(fields=["status", "next_try_at"])]
        verbose_name = "envoi d'alerte"


class AlertSettings(models.Model):
    """Réglages d'alertes d'un utilisateur : canaux par genre d'événement, chat Telegram lié, e-mail."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_settings")
    channels = models.JSONField(default=dict, blank=True)  # {genre: [canaux]} ; genre absent = défaut
    telegram_chat_id = EncryptedTextField(blank=True, default="")
    telegram_link_code = models.CharField(max_length=16, blank=True, default="")
    telegram_link_expires_at = models.DateTimeField(null=True, blank=True)
    email = models.EmailField(blank=True, default="")
    digest_hour = models.PositiveSmallIntegerField(default=20)  # heure du résumé quotidien, fuseau de l'utilisateur
    failures = models.JSONField(default=dict, blank=True)  # {canal: {"error", "at"}} : dernier échec d'envoi
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réglages d'alertes"
        verbose_name_plural = "réglages d'alertes"


class Incident(models.Model):
    """Un problème vu par le chien de garde, ouvert jusqu'à son retour à la normale."""

    key = models.CharField(max_length=100)
    text = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=models.Q(ended_at=None), name="incident_open_once")
        ]
