"""Réglages d'alertes d'un utilisateur (Mon compte) et liaison de son chat Telegram par code à usage unique."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.alerts.events import emit
from apps.alerts.kinds import KINDS
from apps.alerts.models import AlertSettings, Channel
from apps.core.encryption import is_unreadable

LINK_CODE_MINUTES = 15


def settings_for(user_id: int) -> AlertSettings:
    found, _ = AlertSettings.objects.get_or_create(user_id=user_id)
    return found


def chat_id(alert_settings: AlertSettings) -> str:
    value = alert_settings.telegram_chat_id
    return "" if is_unreadable(value) else (value or "")


def email_of(alert_settings: AlertSettings) -> str:
    return alert_settings.email or alert_settings.user.email


def channels_for(alert_settings: AlertSettings, kind: str) -> list[str]:
    chosen = alert_settings.channels.get(kind)
    return list(KINDS[kind].defaults if chosen is None else chosen)


def describe(alert_settings: AlertSettings) -> dict:
    """Ce que montre Mon compte : le chat lié n'est jamais renvoyé en entier."""
    linked = chat_id(alert_settings)
    return {
        "kinds": [
            {"kind": kind, "label": spec.label, "channels": channels_for(alert_settings, kind)}
            for kind, spec in KINDS.items()
            if kind != "test"
        ],
        "telegram": {
            "available": bool(settings.TELEGRAM_BOT_TOKEN),
            "bot_username": settings.TELEGRAM_BOT_USERNAME,
            "linked": bool(linked),
            "chat": f"...{linked[-3:]}" if linked else "",
            "link_code": alert_settings.telegram_link_code if _code_valid(alert_settings) else "",
        },
        "email": {
            "available": bool(settings.EMAIL_HOST),
            "address": email_of(alert_settings),
        },
        "digest_hour": alert_settings.digest_hour,
        "failures": alert_settings.failures,
    }


@transaction.atomic
def update(
    *, user_id: int, channels: dict | None = None, email: str | None = None, digest_hour: int | None = None
) -> AlertSettings:
    alert_settings = AlertSettings.objects.select_for_update().get(pk=settings_for(user_id).pk)
    if channels is not None:
        alert_settings.channels = {**alert_settings.channels, **channels}
    if email is not None:
        alert_settings.email = email
    if digest_hour is not None:
        alert_settings.digest_hour = digest_hour
    alert_settings.save()
    return alert_settings


def _code_valid(alert_settings: AlertSettings) -> bool:
    expires = alert_settings.telegram_link_expires_at
    return bool(alert_settings.telegram_link_code and expires and expires > timezone.now())


@transaction.atomic
def new_link_code(*, user_id: int) -> AlertSettings:
    """Code à envoyer au bot (`/start CODE`) depuis le chat à lier ; valable LINK_CODE_MINUTES minutes."""
    alert_settings = AlertSettings.objects.select_for_update().get(pk=settings_for(user_id).pk)
    alert_settings.telegram_link_code = secrets.token_hex(4).upper()
    alert_settings.telegram_link_expires_at = timezone.now() + timedelta(minutes=LINK_CODE_MINUTES)
    alert_settings.save()
    return alert_settings


@transaction.atomic
def link_chat(*, code: str, chat: str) -> AlertSettings | None:
    """Lie `chat` au compte qui a demandé `code` ; None pour un code inconnu ou expiré."""
    code = (code or "").strip().upper()
    if not code:
        return None
    found = (
        AlertSettings.objects.select_for_update()
        .filter(telegram_link_code=code, telegram_link_expires_at__gt=timezone.now())
        .first()
    )
    if found is None:
        return None
    found.telegram_chat_id, found.telegram_link_code, found.telegram_link_expires_at = chat, "", None
    found.failures.pop(Channel.TELEGRAM, None)
    found.save()
    return found


def unlink_chat(*, user_id: int) -> AlertSettings:
    alert_settings = settings_for(user_id)
    alert_settings.telegram_chat_id = ""
    alert_settings.save()
    return alert_settings


def user_for_chat(chat: str) -> int | None:
    """Le compte lié à ce chat (les chats sont chiffrés : relus un à un, 5 comptes au plus)."""
    for alert_settings in AlertSettings.objects.exclude(telegram_chat_id=""):
        if chat_id(alert_settings) == str(chat):
            return alert_settings.user_id
    return None


def test_alert(*, user_id: int, channel: str):
    """« Envoyer un test » : refusé en français si le canal n'est pas prêt ; sinon mis en file."""
    alert_settings = settings_for(user_id)
    if channel == Channel.TELEGRAM and not settings.TELEGRAM_BOT_TOKEN:
        raise ValidationError("Telegram n'est pas configuré sur cette installation (TELEGRAM_BOT_TOKEN dans .env).")
    if channel == Channel.TELEGRAM and not chat_id(alert_settings):
        raise ValidationError("Aucun chat Telegram lié : envoyez d'abord le code de liaison au bot.")
    if channel == Channel.EMAIL and not settings.EMAIL_HOST:
        raise ValidationError("L'e-mail n'est pas configuré sur cette installation (EMAIL_HOST dans .env).")
    if channel == Channel.EMAIL and not email_of(alert_settings):
        raise ValidationError("Aucune adresse e-mail : renseignez-la dans Mon compte.")
    now = timezone.now()
    text = f"Test des alertes Aristobot ({Channel(channel).label}) : ce canal fonctionne."
    return emit(
        kind="test", user_id=user_id, text=text, data={"channel": channel}, key=f"test-{channel}-{now.isoformat()}"
    )
