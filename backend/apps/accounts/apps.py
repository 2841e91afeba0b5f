import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("aristobot")


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = "Comptes"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        # Dans ready() : les modèles ne se chargent qu'une fois le registre des apps prêt.
        from apps.accounts import login_throttle

        user_login_failed.connect(login_throttle.on_login_failed, dispatch_uid="login_throttle_failed")
        user_logged_in.connect(login_throttle.on_logged_in, dispatch_uid="login_throttle_logged_in")
        if settings.DEV_MODE:
            logger.warning(
                "!!! MODE DEV ACTIF (DEBUG_ARISTOBOT=True) : tout visiteur est l'utilisateur 'dev' "
                "et voit les données de TOUS les utilisateurs. Ne jamais activer en production. !!!"
            )
        elif settings.DEBUG_ARISTOBOT:
            logger.warning("DEBUG_ARISTOBOT=True ignoré : il n'est honoré qu'avec DEBUG=True.")
