from django.apps import AppConfig


class PanicConfig(AppConfig):
    name = "apps.panic"
    verbose_name = "Tout couper"
