from django.urls import path

from apps.webhooks.consumers import TradingViewReceiver
from apps.webhooks.models import RECEIVE_PATH

http_urlpatterns = [
    path(RECEIVE_PATH.format(token="<str:token>").lstrip("/"), TradingViewReceiver.as_asgi()),
]
