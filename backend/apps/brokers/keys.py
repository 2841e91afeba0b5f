"""Les clés d'un broker restent masquées dans toute réponse de l'API ; « Afficher » les donne une fois à leur
propriétaire qui retape le mot de passe de son compte (5 demandes par 15 minutes, chacune journalisée)."""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.exceptions import Throttled

from apps.brokers.models import Broker, KeysReveal
from apps.core.encryption import UNREADABLE_LABEL, is_unreadable

logger = logging.getLogger("aristobot.security")

REVEAL_LIMIT = 5
REVEAL_WINDOW = timedelta(minutes=15)
SECRET_FIELDS = ("api_key", "api_secret", "api_password")


def mask(secret: str, *, shown: int = 4) -> str:
    """`abcd••••wxyz` : les `shown` premiers (clé API seulement) et 4 derniers caractères ; court : tout masqué."""
    if is_unreadable(secret):
        return UNREADABLE_LABEL
    if not secret:
        return ""
    if len(secret) <= 10:
        return "•" * len(secret)
    return f"{secret[:shown]}••••{secret[-4:]}"


def masked_fields(broker: Broker) -> dict[str, str]:
    return {
        "api_key_masked": mask(broker.api_key),
        "api_secret_masked": mask(broker.api_secret, shown=0),
        "api_password_masked": mask(broker.api_password, shown=0),
    }


def reveal(*, broker: Broker, user, password: str, ip: str | None) -> dict[str, str]:
    """Les clés en clair si `password` est celui de `user` (propriétaire de `broker`) ; sinon ValidationError,
    et Throttled (429, Retry-After) au-delà de REVEAL_LIMIT demandes dans la fenêtre."""
    since = timezone.now() - REVEAL_WINDOW
    recent = list(KeysReveal.objects.filter(user=user, created_at__gt=since).values_list("created_at", flat=True))
    if len(recent) >= REVEAL_LIMIT:
        wait = int((min(recent) + REVEAL_WINDOW - timezone.now()).total_seconds()) + 1
        logger.warning("Affichage des clés du broker %s refusé à %s (%s) : trop de demandes", broker.pk, user, ip)
        refused = Throttled(detail=f"Trop de demandes d'affichage des clés : réessayez dans {-(-wait // 60)} min.")
        refused.wait = wait  # Retry-After, sans la phrase anglaise que DRF ajouterait au texte
        raise refused
    granted = user.has_usable_password() and user.check_password(password)
    KeysReveal.objects.create(user=user, broker=broker, ip=ip, granted=granted)
    if not granted:
        logger.warning("Affichage des clés du broker %s refusé à %s (%s) : mot de passe incorrect", broker.pk, user, ip)
        raise ValidationError("Mot de passe incorrect : clés non affichées.")
    logger.warning("Clés du broker %s affichées à %s (%s)", broker.pk, user, ip)
    return {field: "" if is_unreadable(getattr(broker, field)) else getattr(broker, field) for field in SECRET_FIELDS}
