"""Le worker des webhooks (`manage.py run_webhook_worker`) : passe les ordres après la réponse à TradingView.

Un seul worker à la fois. Au démarrage il reprend ce qu'un arrêt (même brutal) a laissé en base, puis se
réveille à chaque webhook reçu (groupe Channels du worker) et, par sécurité, toutes les POLL_SECONDS.
Plusieurs utilisateurs en parallèle ; les webhooks d'un même utilisateur un par un, dans l'ordre d'arrivée.
"""

import asyncio
import logging

from channels.db import database_sync_to_async

from apps.core.channels import WEBHOOK_WORKER_GROUP
from apps.core.daemon import on_wake_or_every
from apps.webhooks.services.processing import (
    RENEW_SECONDS,
    claim_next,
    fail_webhook,
    process_webhook,
    release_claims,
    renew_claim,
)

logger = logging.getLogger("aristobot.webhooks")

POLL_SECONDS = 2.0
LANES = 4


def _in_thread(function):
    # Un fil par appel : un exchange lent pour un utilisateur ne bloque pas les autres.
    return database_sync_to_async(function, thread_sensitive=False)


class WebhookWorker:
    def __init__(self, *, lanes: int = LANES, poll_seconds: float = POLL_SECONDS):
        self.lanes, self.poll_seconds = lanes, poll_seconds
        self.busy_users: set[int] = set()
        self._claiming = asyncio.Lock()
        self._stop = asyncio.Event()

    async def _claim(self) -> tuple[int, int] | None:
        async with self._claiming:  # réservation et utilisateur occupé notés ensemble
            claimed = await _in_thread(claim_next)(busy_users=set(self.busy_users))
            if claimed is not None:
                self.busy_users.add(claimed[1])
            return claimed

    async def _lane(self) -> int:
        done = 0
        while not self._stop.is_set():
            claimed = await self._claim()
            if claimed is None:
                return done
            webhook_id, user_id = claimed
            renewing = asyncio.create_task(self._renew(webhook_id))
            try:
                await _in_thread(process_webhook)(webhook_id)
            except Exception as error:
                logger.exception("Webhook %s : traitement interrompu", webhook_id)
                await _in_thread(fail_webhook)(webhook_id, f"Erreur interne pendant le traitement : {error}")
            finally:
                renewing.cancel()
                self.busy_users.discard(user_id)
            done += 1
        return done

    async def _renew(self, webhook_id: int) -> None:
        """Tant que le traitement dure (exchange lent), le bail du webhook est renouvelé."""
        while True:
            await asyncio.sleep(RENEW_SECONDS)
            try:
                await _in_thread(renew_claim)(webhook_id)
            except Exception:
                logger.warning("Bail du webhook %s non renouvelé", webhook_id, exc_info=True)

    async def drain(self) -> int:
        """Traite tout ce qui attend ; retourne le nombre de webhooks traités. Une erreur de base est journalisée
        (le webhook garde sa réservation et sera repris)."""
        results = await asyncio.gather(*(self._lane() for _ in range(self.lanes)), return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):
                logger.error("Worker des webhooks : %s", result, exc_info=result)
        return sum(result for result in results if isinstance(result, int))

    async def run(self, stop: asyncio.Event) -> None:
        self._stop = stop
        released = await _in_thread(release_claims)()
        if released:
            logger.warning("%d webhook(s) interrompu(s) par l'arrêt précédent : repris maintenant", released)
        await on_wake_or_every(WEBHOOK_WORKER_GROUP, self.poll_seconds, self._drain_and_log, stop)

    async def _drain_and_log(self) -> None:
        count = await self.drain()
        if count:
            logger.info("%d webhook(s) traité(s)", count)
