from django.urls import path

from apps.heartbeat import views

urlpatterns = [
    path("status/", views.StatusView.as_view(), name="status"),
    path("heartbeat/config/", views.HeartbeatConfigView.as_view(), name="heartbeat-config"),
    path("heartbeat/candles/latest/", views.LatestCandlesView.as_view(), name="heartbeat-latest-candles"),
]
