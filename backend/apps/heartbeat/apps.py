from django.apps import AppConfig


class HeartbeatConfig(AppConfig):
    name = "apps.heartbeat"
    verbose_name = "Heartbeat"
