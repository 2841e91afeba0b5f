"""Mode dev : le visiteur du poste local direct est `dev`, ou l'utilisateur choisi par « Se connecter comme… ».

Le choix est gardé dans la session, ce n'est pas une connexion : il ne vaut que tant que le mode dev vaut pour la
requête (DEBUG et DEBUG_ARISTOBOT, poste local, aucun en-tête de relais). Par un proxy, un tunnel ou une fois le
mode dev coupé, la même session redevient anonyme.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.core.exceptions import PermissionDenied

from apps.accounts.models import DEV_USERNAME, User
from apps.core.client_address import is_local_request
from apps.core.exceptions import NotFound

logger = logging.getLogger("aristobot")

ACTING_AS = "dev_acting_as"
REFUSED = (
    "« Se connecter comme… » n'existe qu'en mode dev (DEBUG et DEBUG_ARISTOBOT), depuis le poste local direct "
    "(ni proxy ni tunnel)."
)


def dev_user() -> User | None:
    """L'utilisateur `dev`, ou None s'il n'existe pas (init_aristobot pas encore lancé)."""
    return get_user_model().objects.filter(username=DEV_USERNAME, is_active=True).first()


def dev_mode_for(request) -> bool:
    """Le mode dev vaut pour cette requête : activé, et requête locale directe (ni proxy ni tunnel)."""
    return settings.DEV_MODE and is_local_request(request)


def visitor(session) -> User | None:
    """Qui est le visiteur local sans connexion : l'utilisateur choisi s'il est encore actif, sinon `dev`."""
    chosen = session.get(ACTING_AS)
    user = get_user_model().objects.filter(pk=chosen, is_active=True).first() if chosen else None
    return user or dev_user()


def ensure_dev_mode(request) -> None:
    """PermissionDenied (403, en français) hors mode dev ou pour une requête relayée."""
    if not dev_mode_for(request):
        raise PermissionDenied(REFUSED)


def choices(*, request) -> list[User]:
    """Les utilisateurs actifs, pour « Se connecter comme… »."""
    ensure_dev_mode(request)
    return list(get_user_model().objects.filter(is_active=True).order_by("username"))


def act_as(*, request, user_id: int) -> User:
    """La session du poste local agit désormais comme `user_id` (`dev` : retour à dev) ; une session ouverte par
    mot de passe est fermée. NotFound si l'utilisateur n'existe pas ou est désactivé."""
    ensure_dev_mode(request)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise NotFound(f"Utilisateur introuvable ou désactivé (identifiant {user_id}).")
    logout(request)  # nouvelle session : rien de l'utilisateur précédent ne reste
    if not user.is_dev:
        request.session[ACTING_AS] = user.pk
    logger.warning(
        "MODE DEV : « Se connecter comme... » : le poste local agit désormais comme '%s' (id %s).",
        user.username,
        user.pk,
    )
    return user


def back_to_dev(*, request) -> User | None:
    """Retour à `dev` : oublie l'utilisateur choisi et ferme une session ouverte par mot de passe."""
    ensure_dev_mode(request)
    logout(request)
    logger.warning("MODE DEV : le poste local agit de nouveau comme 'dev'.")
    return dev_user()
