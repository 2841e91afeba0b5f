"""Limite des connexions, qui ne bloque jamais le propriétaire d'un compte chez lui.

- Par nom d'utilisateur : 10 mots de passe refusés en 15 minutes bloquent ce nom jusqu'à la fin de la fenêtre
  (429 sur l'API, refus dans l'admin), sauf depuis un navigateur où ce nom s'est déjà connecté (cookie signé
  `aristobot_known`, posé à chaque connexion réussie) : deviner un mot de passe ne verrouille pas son titulaire.
- Par adresse : au-delà de 10 échecs en 15 minutes, un délai croissant (1 s, 2 s, 4 s… 60 s au plus) depuis le
  dernier échec, jamais un blocage : derrière un tunnel sans TRUSTED_PROXY_HEADER tout le monde a la même adresse.

Les échecs sont en base (`LoginFailure`) : partagés par tous les processus, gardés au redémarrage.
"""

import logging
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from apps.accounts.models import LoginFailure
from apps.core.client_address import client_ip, is_relayed

logger = logging.getLogger("aristobot.security")

LIMIT = 10
WINDOW = timedelta(minutes=15)
MAX_ADDRESS_DELAY = 60  # secondes
KNOWN_COOKIE = "aristobot_known"
KNOWN_MAX_AGE = 365 * 24 * 3600
_KNOWN_SALT = "aristobot.login.known-place"
_relay_warned = False


def request_ip(request) -> str | None:
    """L'adresse réelle du client ; un avertissement (une fois par processus) si des requêtes relayées arrivent
    sans TRUSTED_PROXY_HEADER : elles semblent alors toutes venir du proxy."""
    global _relay_warned
    if not settings.TRUSTED_PROXY_HEADER and not _relay_warned and is_relayed(request.META):
        _relay_warned = True
        logger.warning(
            "Requêtes relayées par un proxy ou un tunnel sans TRUSTED_PROXY_HEADER : toutes semblent venir de %s ; "
            "réglez TRUSTED_PROXY_HEADER (ex. X-Forwarded-For) dans .env pour limiter les connexions par vraie "
            "adresse.",
            request.META.get("REMOTE_ADDR"),
        )
    return client_ip(request.META.get("REMOTE_ADDR"), request.headers)


def _normalized(username: str) -> str:
    return (username or "").strip().lower()[:150]


def known_usernames(request) -> list[str]:
    """Les noms déjà connectés depuis ce navigateur (cookie signé) ; vide si absent ou falsifié."""
    raw = request.COOKIES.get(KNOWN_COOKIE)
    try:
        names = signing.loads(raw, salt=_KNOWN_SALT, max_age=KNOWN_MAX_AGE) if raw else []
    except signing.BadSignature:
        return []
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


def remember_place(response, request, username: str) -> None:
    """Connexion réussie : ce navigateur devient un lieu connu pour `username` (5 noms au plus)."""
    names = [_normalized(username)] + [name for name in known_usernames(request) if name != _normalized(username)]
    response.set_cookie(
        KNOWN_COOKIE,
        signing.dumps(names[:5], salt=_KNOWN_SALT),
        max_age=KNOWN_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def retry_after(*, username: str, ip: str | None, known: bool = False, now: datetime | None = None) -> int:
    """Secondes avant le prochain essai permis (0 : essai permis). `known` : navigateur où ce nom s'est déjà
    connecté, jamais retenu."""
    if known:
        return 0
    now = now or timezone.now()
    recent = LoginFailure.objects.filter(created_at__gt=now - WINDOW).order_by("-created_at")
    wait = 0
    times = list(recent.filter(username=_normalized(username)).values_list("created_at", flat=True)[:LIMIT])
    if len(times) >= LIMIT:
        wait = math.ceil((times[-1] + WINDOW - now).total_seconds())
    if ip:
        count = recent.filter(ip=ip).count()
        if count >= LIMIT:
            delay = min(2 ** (count - LIMIT), MAX_ADDRESS_DELAY)
            last = recent.filter(ip=ip).values_list("created_at", flat=True).first()
            wait = max(wait, math.ceil((last + timedelta(seconds=delay) - now).total_seconds()))
    return max(wait, 0)


def request_retry_after(request, username: str) -> int:
    return retry_after(
        username=username, ip=request_ip(request), known=_normalized(username) in known_usernames(request)
    )


def record_failure(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(created_at__lte=timezone.now() - WINDOW).delete()
    LoginFailure.objects.create(username=_normalized(username), ip=ip)


def forget_failures(*, username: str, ip: str | None) -> None:
    """Connexion réussie : ses échecs depuis cette adresse sont oubliés (ceux d'autres adresses comptent encore)."""
    LoginFailure.objects.filter(username=_normalized(username), ip=ip).delete()


def too_many_message(wait: int) -> str:
    if wait < 60:
        return f"Trop de tentatives de connexion échouées : réessayez dans {wait} seconde{'s' if wait > 1 else ''}."
    minutes = -(-wait // 60)
    return f"Trop de tentatives de connexion échouées : réessayez dans {minutes} minute{'s' if minutes > 1 else ''}."


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        record_failure(username=credentials.get("username", ""), ip=request_ip(request))


def on_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None:
        forget_failures(username=user.get_username(), ip=request_ip(request))
