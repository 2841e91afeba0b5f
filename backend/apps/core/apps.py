import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("aristobot")


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = "Noyau"

    def ready(self):
        if not settings.FIELD_ENCRYPTION_KEY:
            logger.warning(
                "FIELD_ENCRYPTION_KEY absente : les secrets sont chiffrés avec une clé dérivée de SECRET_KEY, "
                "qu'il ne faut alors pas changer. `make run` ajoute la clé à .env."
            )
