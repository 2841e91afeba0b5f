from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.conf import settings

from apps.accounts.middleware import dev_user
from apps.core.client_address import is_local_scope


class DevModeWebsocketMiddleware:
    """Équivalent WebSocket de DevModeMiddleware : l'anonyme devient `dev` en mode dev."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if settings.DEV_MODE and (user is None or not user.is_authenticated) and is_local_scope(scope):
            dev = await database_sync_to_async(dev_user)()
            if dev is not None:
                scope = dict(scope, user=dev)
        return await self.inner(scope, receive, send)


def session_auth_stack(inner):
    return AuthMiddlewareStack(DevModeWebsocketMiddleware(inner))
