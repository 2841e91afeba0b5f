"""`run_alerts` : vide la file des envois (Telegram, e-mail) et répond aux commandes du bot Telegram."""

import asyncio
import logging

from asgiref.sync import ThreadSensitiveContext
from channels.db import database_sync_to_async
from django.conf import settings

from apps.alerts import queue
from apps.alerts.bot import answer
from apps.alerts.digest import send_due_digests
from apps.alerts.kinds import KINDS
from apps.alerts.models import AlertDelivery, Channel
from apps.alerts.preferences import chat_id, email_of, settings_for
from apps.alerts.senders import DeliveryError, send_email, send_telegram, telegram_call
from apps.core.channels import ALERTS_WORKER_GROUP
from apps.core.daemon import every, on_wake_or_every

logger = logging.getLogger("aristobot.alerts")
DIGEST_CHECK_SECONDS = 60


def _recipient(delivery: AlertDelivery) -> str:
    alert_settings = settings_for(delivery.event.user_id)
    return chat_id(alert_settings) if delivery.channel == Channel.TELEGRAM else email_of(alert_settings)


class AlertsWorker:
    def __init__(self, *, poll_seconds: float = 5.0):
        self.poll_seconds = poll_seconds
        self.updates_offset = 0

    async def run(self, stop: asyncio.Event) -> None:
        interrupted = await database_sync_to_async(queue.recover_interrupted)()
        if interrupted:
            logger.warning("%s envoi(s) interrompu(s) par un arrêt : non renvoyés", interrupted)
        tasks = [
            asyncio.create_task(on_wake_or_every(ALERTS_WORKER_GROUP, self.poll_seconds, self.drain, stop)),
            asyncio.create_task(every(DIGEST_CHECK_SECONDS, database_sync_to_async(send_due_digests), stop)),
        ]
        if settings.TELEGRAM_BOT_TOKEN:
            tasks.append(asyncio.create_task(self.listen_telegram(stop)))
        await stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def drain(self) -> int:
        """Répartit les nouvelles alertes puis envoie ce qui est dû ; retourne le nombre d'envois tentés."""
        tried = 0
        while True:  # un échec crée une alerte (canal en panne) : répartie et envoyée dans la même passe
            await database_sync_to_async(queue.dispatch)()
            delivery = await database_sync_to_async(queue.claim_next)()
            if delivery is None:
                return tried
            await self.deliver(delivery)
            tried += 1

    async def deliver(self, delivery: AlertDelivery) -> None:
        event = delivery.event
        try:
            recipient = await database_sync_to_async(_recipient)(delivery)
            if not recipient:
                raise DeliveryError("destinataire absent (chat Telegram non lié ou e-mail vide)")
            if delivery.channel == Channel.TELEGRAM:
                await send_telegram(chat=recipient, text=event.text)
            else:
                label = KINDS[event.kind].label
                when = event.created_at.strftime("%Y-%m-%d %H:%M UTC")
                await send_email(to=recipient, subject=f"Aristobot : {label}", body=f"{event.text}\n\n{when}")
        except DeliveryError as error:
            logger.warning("Alerte %s non envoyée par %s : %s", event.pk, delivery.channel, error)
            await database_sync_to_async(queue.mark_failed)(delivery, str(error))
            return
        await database_sync_to_async(queue.mark_sent)(delivery)

    async def listen_telegram(self, stop: asyncio.Event) -> None:
        """Lit les messages envoyés au bot (getUpdates en attente longue) et répond tout de suite."""
        wait = settings.TELEGRAM_POLL_SECONDS
        while not stop.is_set():
            try:
                updates = await telegram_call(
                    "getUpdates", {"offset": self.updates_offset, "timeout": wait}, timeout=wait + 10
                )
                for update in updates or []:
                    self.updates_offset = max(self.updates_offset, int(update.get("update_id", 0)) + 1)
                    await self.on_update(update)
            except DeliveryError as error:
                logger.warning("Lecture des commandes Telegram impossible : %s", error)
                await asyncio.sleep(5)

    async def on_update(self, update: dict) -> None:
        message = update.get("message") or {}
        chat = str((message.get("chat") or {}).get("id", ""))
        if not chat or not isinstance(message.get("text"), str):
            return
        try:
            # Un fil à elle, comme une requête : /toutcouper passe par la porte des exchanges, dont l'exchange paper
            # attend le fil synchrone commun (sinon bloqué par cette commande elle-même).
            async with ThreadSensitiveContext():
                reply = await database_sync_to_async(answer)(chat=chat, text=message["text"])
        except Exception:
            logger.exception("Commande Telegram en échec : %s", message["text"][:40])
            reply = "Erreur interne : commande non exécutée."
        if reply:
            try:
                await send_telegram(chat=chat, text=reply)
            except DeliveryError as error:
                logger.warning("Réponse Telegram non envoyée : %s", error)
