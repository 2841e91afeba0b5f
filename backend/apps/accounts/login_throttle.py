"""Limite des connexions : 10 mots de passe refusés en 15 minutes pour un même nom d'utilisateur, ou depuis
une même adresse, bloquent les essais suivants (429 sur l'API, refus dans l'admin) jusqu'à la fin de la fenêtre.

Les échecs sont en base (`LoginFailure`) : partagés par tous les processus, gardés au redémarrage.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from apps.accounts.models import LoginFailure
from apps.core.client_address import client_ip

LIMIT = 10
WINDOW = timedelta(minutes=15)


def request_ip(request) -> str | None:
    return client_ip(request.META.get("REMOTE_ADDR"), request.headers)


def _normalized(username: str) -> str:
    return (username or "").strip().lower()[:150]


def retry_after(*, username: str, ip: str | None, now: datetime | None = None) -> int:
    """Secondes avant le prochain essai permis (0 : essai permis)."""
    now = now or timezone.now()
    recent = LoginFailure.objects.filter(created_at__gt=now - WINDOW).order_by("-created_at")
    wait = 0
    for scope in ({"username": _normalized(username)}, {"ip": ip} if ip else None):
        if scope is None:
            continue
        times = list(recent.filter(**scope).values_list("created_at", flat=True)[:LIMIT])
        if len(times) >= LIMIT:
            wait = max(wait, int((times[-1] + WINDOW - now).total_seconds()) + 1)
    return wait


def record_failure(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(created_at__lte=timezone.now() - WINDOW).delete()
    LoginFailure.objects.create(username=_normalized(username), ip=ip)


def forget_failures(*, username: str, ip: str | None) -> None:
    """Connexion réussie : ses échecs depuis cette adresse sont oubliés (ceux d'autres adresses comptent encore)."""
    LoginFailure.objects.filter(username=_normalized(username), ip=ip).delete()


def too_many_message(wait: int) -> str:
    minutes = max(1, -(-wait // 60))
    return f"Trop de tentatives de connexion échouées : réessayez dans {minutes} minute{'s' if minutes > 1 else ''}."


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        record_failure(username=credentials.get("username", ""), ip=request_ip(request))


def on_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None:
        forget_failures(username=user.get_username(), ip=request_ip(request))
