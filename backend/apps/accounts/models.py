import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from apps.core.fields import EncryptedTextField

DEV_USERNAME = "dev"
DEFAULT_OLLAMA_URL = "http://localhost:11434"
DEFAULT_OPENROUTER_MODEL = "openai/gpt-4o-mini"
DEFAULT_OLLAMA_MODEL = "qwen2.5-coder:7b"
OLLAMA_URL_ERROR = "URL Ollama invalide : http:// ou https:// attendu."


def validate_timezone(value: str) -> None:
    if value not in ("", "UTC") and value not in zoneinfo.available_timezones():
        raise ValidationError(f"Fuseau horaire inconnu : {value}.")


class User(AbstractUser):
    class Theme(models.TextChoices):
        DARK = "dark", "Sombre"
        LIGHT = "light", "Clair"

    # "" : pas encore choisi ; le navigateur y enregistre son propre fuseau à la première ouverture.
    display_timezone = models.CharField(max_length=64, default="", blank=True, validators=[validate_timezone])
    theme = models.CharField(max_length=5, choices=Theme.choices, default=Theme.DARK)
    testnet_mode = models.BooleanField(default=False)
    ai_openrouter_key = EncryptedTextField(blank=True, default="")
    ai_openrouter_enabled = models.BooleanField(default=False)
    ai_openrouter_model = models.CharField(max_length=200, default=DEFAULT_OPENROUTER_MODEL)
    ai_ollama_url = models.URLField(
        default=DEFAULT_OLLAMA_URL, validators=[URLValidator(schemes=["http", "https"], message=OLLAMA_URL_ERROR)]
    )
    ai_ollama_enabled = models.BooleanField(default=False)
    ai_ollama_model = models.CharField(max_length=200, default=DEFAULT_OLLAMA_MODEL)
    default_broker = models.ForeignKey(
        "brokers.Broker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.CheckConstraint(
                check=~models.Q(ai_openrouter_enabled=True, ai_ollama_enabled=True),
                name="one_ai_provider_at_most",
            )
        ]

    @property
    def is_dev(self) -> bool:
        return self.username == DEV_USERNAME


class LoginFailure(models.Model):
    """Un mot de passe refusé, pour limiter les essais par nom d'utilisateur et par adresse (`login_throttle`)."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "échec de connexion"
        verbose_name_plural = "échecs de connexion"
        indexes = [
            models.Index(fields=["username", "created_at"], name="login_failure_username"),
            models.Index(fields=["ip", "created_at"], name="login_failure_ip"),
        ]
