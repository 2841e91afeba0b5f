from django.conf import settings
from django.contrib.auth import get_user_model

from apps.accounts.models import DEV_USERNAME


def dev_user():
    """L'utilisateur `dev`, ou None s'il n'existe pas (init_aristobot pas encore lancé)."""
    return get_user_model().objects.filter(username=DEV_USERNAME, is_active=True).first()


class DevModeMiddleware:
    """En mode dev, un visiteur anonyme devient l'utilisateur `dev` (sans session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEV_MODE and not request.user.is_authenticated:
            user = dev_user()
            if user is not None:
                request.user = user
        return self.get_response(request)
