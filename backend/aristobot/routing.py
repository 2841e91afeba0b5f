from django.urls import path

from apps.core.consumers import AppConsumer

websocket_urlpatterns = [
    path("ws/", AppConsumer.as_asgi()),
]
