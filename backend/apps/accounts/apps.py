import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("aristobot")


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = "Comptes"

    def ready(self):
        if settings.DEV_MODE:
            logger.warning(
                "!!! MODE DEV ACTIF (DEBUG_ARISTOBOT=True) : tout visiteur est l'utilisateur 'dev' "
                "et voit les données de TOUS les utilisateurs. Ne jamais activer en production. !!!"
            )
        elif settings.DEBUG_ARISTOBOT:
            logger.warning("DEBUG_ARISTOBOT=True ignoré : il n'est honoré qu'avec DEBUG=True.")
