from django.urls import path

from aristobot.consumers import AppConsumer

websocket_urlpatterns = [
    path("ws/", AppConsumer.as_asgi()),
]
