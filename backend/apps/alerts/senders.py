"""Les deux portes de sortie des alertes : l'API Bot de Telegram (HTTP) et le SMTP (mail de Django)."""

import aiohttp
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.mail import send_mail

TELEGRAM_TIMEOUT_SECONDS = 10


class DeliveryError(Exception):
    """Envoi refusé ou impossible (message français + texte d'origine)."""


def _bot_url(method: str) -> str:
    return f"{settings.TELEGRAM_API_URL.rstrip('/')}/bot{settings.TELEGRAM_BOT_TOKEN}/{method}"


async def telegram_call(method: str, payload: dict, *, timeout: float = TELEGRAM_TIMEOUT_SECONDS) -> dict | list:
    """Appelle une méthode de l'API Bot ; retourne `result` ou lève DeliveryError."""
    if not settings.TELEGRAM_BOT_TOKEN:
        raise DeliveryError("Telegram non configuré (TELEGRAM_BOT_TOKEN absent de .env)")
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
            async with session.post(_bot_url(method), json=payload) as response:
                body = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        raise DeliveryError(f"Erreur de connexion à Telegram : {error or type(error).__name__}") from error
    if not isinstance(body, dict) or not body.get("ok"):
        description = body.get("description") if isinstance(body, dict) else body
        raise DeliveryError(f"Telegram a refusé l'envoi : {description}")
    return body.get("result")


async def send_telegram(*, chat: str, text: str) -> None:
    await telegram_call("sendMessage", {"chat_id": chat, "text": text})


def _send_email_sync(*, to: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    except Exception as error:  # smtplib, socket, SSL : tout échec d'envoi
        raise DeliveryError(f"Erreur d'envoi de l'e-mail : {error}") from error


async def send_email(*, to: str, subject: str, body: str) -> None:
    await sync_to_async(_send_email_sync, thread_sensitive=False)(to=to, subject=subject, body=body)
