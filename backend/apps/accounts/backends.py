from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied

from apps.accounts import login_throttle


class LoginThrottleBackend(BaseBackend):
    """Premier backend : limite atteinte → PermissionDenied, qui arrête `authenticate` (admin compris) même
    avec le bon mot de passe ; sinon ModelBackend, le suivant, vérifie le mot de passe."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and login_throttle.retry_after(username=username or "",
                                                              ip=login_throttle.request_ip(request)):
            raise PermissionDenied
        return None
