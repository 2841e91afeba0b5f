from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.conf import settings

from apps.accounts.dev_mode import visitor
from apps.core.client_address import is_local_scope


class DevModeWebsocketMiddleware:
    """Équivalent WebSocket de DevModeMiddleware : l'anonyme devient `dev` (ou l'utilisateur choisi) en mode dev."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if settings.DEV_MODE and (user is None or not user.is_authenticated) and is_local_scope(scope):
            chosen = await database_sync_to_async(visitor)(scope["session"])
            if chosen is not None:
                scope = dict(scope, user=chosen)
        return await self.inner(scope, receive, send)


def session_auth_stack(inner):
    return AuthMiddlewareStack(DevModeWebsocketMiddleware(inner))
