"""La boucle asyncio de la porte, dans son propre fil (« exchange-door ») : toutes les instances y vivent, quel
que soit l'appelant (vue synchrone, moteur asynchrone, tâche de fond)."""

import asyncio
import atexit
import concurrent.futures
import contextlib
import contextvars
import functools
import logging
import threading
from collections.abc import Coroutine

from django.conf import settings
from django.db import close_old_connections

from apps.core.channels import BROKER_AUTH_FAILED, client_event, publish_sync, user_group
from apps.core.exceptions import AuthenticationFailed, ExchangeTimeout

logger = logging.getLogger("aristobot.exchanges")

THREAD_NAME = "exchange-door"


class DoorLoop:
    """La boucle de la porte, lancée au premier appel et arrêtée à la sortie du processus."""

    def __init__(self):
        self._loop: asyncio.AbstractEventLoop | None = None
        self._boot = threading.Lock()

    @property
    def started(self) -> bool:
        return self._loop is not None

    def _door_loop(self) -> asyncio.AbstractEventLoop:
        with self._boot:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name=THREAD_NAME, daemon=True).start()
                self._loop = loop
                atexit.register(self.shutdown)
            return self._loop

    def submit(self, coroutine: Coroutine) -> concurrent.futures.Future:
        """Lance `coroutine` sur la boucle de la porte sans attendre (tâches de fond).

        Contexte vide : sinon la tâche hériterait du contexte de l'appelant (ThreadSensitiveContext
        d'une requête Django) et ses sync_to_async attendraient le fil de la requête, bloqué ici.
        """
        return contextvars.Context().run(asyncio.run_coroutine_threadsafe, coroutine, self._door_loop())

    async def on_door_loop(self, coroutine: Coroutine):
        """Attend `coroutine` exécutée sur la boucle de la porte (directement si on y est déjà)."""
        loop = self._door_loop()
        if asyncio.get_running_loop() is loop:
            return await coroutine
        return await asyncio.wrap_future(self.submit(coroutine))

    def run(self, coroutine: Coroutine, timeout: float | None = None):
        """Pour le code synchrone (vues, commandes) : exécute `coroutine` sur la porte et retourne son résultat.

        Au-delà de `timeout` (EXCHANGE_CALL_TIMEOUT_SECONDS par défaut), lève ExchangeTimeout : un exchange
        bloqué ne bloque pas une requête.
        """
        if threading.current_thread().name == THREAD_NAME:
            raise RuntimeError("ccxt_manager.run() appelé depuis la boucle de la porte : utilisez await.")
        limit = settings.EXCHANGE_CALL_TIMEOUT_SECONDS if timeout is None else timeout
        future = self.submit(coroutine)
        try:
            return future.result(limit)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise ExchangeTimeout("L'exchange", f"pas de réponse après {limit:g} s") from None

    def shutdown(self) -> None:
        """Arrête la boucle de la porte (appelé à la sortie du processus)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._loop = None


def _announce_refused_keys(broker, error: AuthenticationFailed) -> None:
    """Clés refusées d'un broker enregistré : publié à son propriétaire (une alerte par version des clés)."""
    data = {"id": broker.pk, "broker_name": broker.name, "error": str(error), "version": broker.updated_at.isoformat()}
    try:
        publish_sync(user_group(broker.user_id), client_event(BROKER_AUTH_FAILED, data))
    except Exception:
        logger.warning("Refus des clés du broker %s non publié", broker.pk)
    finally:  # fil de l'exécuteur de la porte : sa connexion à la base (alerte enregistrée) ne reste pas ouverte
        close_old_connections()


def on_door(method):
    """Exécute la méthode sur la boucle de la porte, quelle que soit la boucle de l'appelant. Clés refusées
    (AuthenticationFailed) : publiées au propriétaire du broker, hors de la porte (elle ne touche pas la base)."""

    @functools.wraps(method)
    async def wrapper(self, *args, **kwargs):
        try:
            return await self.on_door_loop(method(self, *args, **kwargs))
        except AuthenticationFailed as error:
            broker = args[0] if args else kwargs.get("broker")
            if getattr(broker, "pk", None) is not None and getattr(broker, "updated_at", None) is not None:
                with contextlib.suppress(RuntimeError):  # exécuteur fermé (arrêt) : l'erreur passe quand même
                    asyncio.get_running_loop().run_in_executor(None, _announce_refused_keys, broker, error)
            raise

    return wrapper
