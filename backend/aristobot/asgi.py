import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aristobot.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from apps.accounts.ws_middleware import session_auth_stack  # noqa: E402
from apps.core.log_masking import install_daphne_access_log  # noqa: E402
from apps.webhooks.routing import http_urlpatterns  # noqa: E402
from aristobot.routing import websocket_urlpatterns  # noqa: E402

install_daphne_access_log()

application = ProtocolTypeRouter(
    {
        # La réception TradingView passe avant la pile de Django (voir apps/webhooks/consumers.py).
        "http": URLRouter([*http_urlpatterns, re_path(r"", django_asgi_app)]),
        "websocket": AllowedHostsOriginValidator(session_auth_stack(URLRouter(websocket_urlpatterns))),
    }
)
