from django.conf import settings
from django.contrib.auth import get_user_model

from apps.accounts.models import DEV_USERNAME
from apps.core.client_address import is_local_request


def dev_user():
    """L'utilisateur `dev`, ou None s'il n'existe pas (init_aristobot pas encore lancé)."""
    return get_user_model().objects.filter(username=DEV_USERNAME, is_active=True).first()


def dev_mode_for(request) -> bool:
    """Le mode dev vaut pour cette requête : activé, et requête locale directe (ni proxy ni tunnel)."""
    return settings.DEV_MODE and is_local_request(request)


class DevModeMiddleware:
    """En mode dev, un visiteur anonyme du poste local (sans proxy ni tunnel) devient `dev` (sans session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and dev_mode_for(request):
            user = dev_user()
            if user is not None:
                request.user = user
        return self.get_response(request)
