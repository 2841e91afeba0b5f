from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from apps.accounts import login_throttle


class LoginThrottleBackend(ModelBackend):
    """Premier backend : limite atteinte → PermissionDenied, qui arrête `authenticate` (admin compris) même
    avec le bon mot de passe ; sinon None, et ModelBackend, le suivant, vérifie le mot de passe. Hérite de
    ModelBackend pour relire l'utilisateur d'une session ouverte par `force_login`."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and login_throttle.request_retry_after(request, username or ""):
            raise PermissionDenied
        return None
