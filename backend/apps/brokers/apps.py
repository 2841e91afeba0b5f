from django.apps import AppConfig


class BrokersConfig(AppConfig):
    name = "apps.brokers"
    verbose_name = "Brokers"
