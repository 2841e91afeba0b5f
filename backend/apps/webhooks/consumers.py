"""La réception des alertes TradingView, servie par Channels avant la pile de Django.

TradingView envoie souvent des dizaines d'alertes à la même clôture et abandonne une livraison après 3 s : sans
session, sans cookie, sans utilisateur, cette URL n'a besoin d'aucun middleware de Django ; chacun coûtait un aller-
retour entre fils par requête. La partie en base tourne dans les fils de la réception (connexions gardées), la
publication vers la page et le worker sur la boucle de Daphne.
"""

import asyncio
import dataclasses
import json
import logging

from asgiref.sync import sync_to_async
from channels.generic.http import AsyncHttpConsumer
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.datastructures import CaseInsensitiveMapping

from apps.core.outage import Outage
from apps.webhooks import outage_journal
from apps.webhooks.models import Webhook
from apps.webhooks.receiving_pool import ReceivingBatches, with_fresh_connection
from apps.webhooks.services.events import notify_async, shown
from apps.webhooks.services.receiving import Delivery, SenderRefused, TooManyDeliveries, receive_all

MAX_BODY = 64 * 1024  # une alerte TradingView tient en quelques Ko


def answer_deliveries(deliveries: list[Delivery]) -> list[tuple]:
    """Partie synchrone (base), pour un lot : par livraison (code HTTP, corps de la réponse, webhook enregistré ou
    None, sa ligne pour la page), ou l'erreur qui l'a empêchée."""
    answers: list = []
    for outcome in receive_all(deliveries):
        if isinstance(outcome, Exception) and not isinstance(outcome, SenderRefused):
            answers.append(outcome)
        elif outcome is None:
            answers.append((404, {"detail": "Webhook inconnu."}, None, None))
        elif isinstance(outcome, TooManyDeliveries) and not outcome.stored:
            answers.append((429, {"detail": outcome.webhook.error}, None, None))
        elif isinstance(outcome, SenderRefused):
            code = 429 if isinstance(outcome, TooManyDeliveries) else 403
            webhook = outcome.webhook
            answers.append((code, {"id": webhook.pk, "detail": webhook.error}, webhook, shown(webhook)))
        elif outcome.status == Webhook.Status.INVALID:
            answer = {"id": outcome.pk, "status": outcome.status, "detail": outcome.error}
            answers.append((400, answer, outcome, shown(outcome)))
        else:
            answers.append((200, {"id": outcome.pk, "status": outcome.status}, outcome, shown(outcome)))
    return answers


_receive = ReceivingBatches(answer_deliveries)
logger = logging.getLogger("aristobot.webhooks")
DATABASE_DOWN = (OperationalError, InterfaceError)
KEPT_WHILE_DOWN = "Reçu : base de données indisponible, l'alerte est gardée et sera enregistrée à son retour."


def _store_replayed(deliveries: list[Delivery]) -> list[tuple]:
    """Rejeu du journal : les livraisons que la base refuse encore y retournent (heure d'arrivée gardée)."""
    answers = answer_deliveries(deliveries)
    for delivery, answer in zip(deliveries, answers):
        if isinstance(answer, Exception):
            outage_journal.append(delivery)
    return [answer for answer in answers if not isinstance(answer, Exception)]


class OutageBuffer:
    """Base injoignable : les livraisons vont au journal, répondues 200 ; tant qu'il n'est pas vide, les
    suivantes aussi (ordre d'arrivée), et une tâche le rejoue chaque seconde jusqu'au retour de la base."""

    def __init__(self):
        self._task: asyncio.Task | None = None
        self._checked = False
        self._outage = Outage(logger, "Base de données injoignable : alertes TradingView gardées dans le journal")

    def active(self) -> bool:
        if not self._checked:  # journal laissé par un arrêt pendant une panne : rejoué au premier appel
            self._checked = True
            if outage_journal.has_entries():
                self._start()
        return self._task is not None and not self._task.done()

    async def keep(self, delivery: Delivery) -> None:
        stamped = dataclasses.replace(delivery, received_at=timezone.now())
        await sync_to_async(outage_journal.append, thread_sensitive=False)(stamped)
        self._start()

    def _start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._replay())

    async def _replay(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                answers = await loop.run_in_executor(
                    None, with_fresh_connection, outage_journal.replay, _store_replayed
                )
            except DATABASE_DOWN as error:
                self._outage.failed(error)
                answers = []
            for _, _, webhook, row in answers:
                if webhook is not None:
                    await notify_async(webhook, row)
            if not outage_journal.has_entries():
                self._outage.recovered()
                return
            await asyncio.sleep(1)


_buffer = OutageBuffer()


class TradingViewReceiver(AsyncHttpConsumer):
    """POST /api/webhooks/tradingview/<jeton>/ : 200 reçu (ou doublon), 400 signal invalide, 403 IP refusée,
    429 débit dépassé (tous enregistrés) ; 404 jeton inconnu, 405 autre méthode, 413 corps trop gros (rien
    d'enregistré)."""

    # Alias sans couche : une requête HTTP n'écoute pas Redis (AsyncConsumer le ferait pour chaque livraison) ;
    # la publication passe par apps.core.channels.
    channel_layer_alias = "aucune"

    async def handle(self, body: bytes) -> None:
        if self.scope["method"] != "POST":
            await self.answer(405, {"detail": "Méthode non permise : envoyez l'alerte en POST."})
            return
        if len(body) > MAX_BODY:
            await self.answer(
                413, {"detail": f"Requête trop volumineuse : une alerte tient en {MAX_BODY // 1024} Ko au plus."}
            )
            return
        headers = CaseInsensitiveMapping(
            {name.decode("latin-1"): value.decode("latin-1") for name, value in self.scope["headers"]}
        )
        client = self.scope.get("client")
        delivery = Delivery(
            token=self.scope["url_route"]["kwargs"]["token"],
            body=body,
            content_type=(headers.get("Content-Type") or "").split(";")[0].strip(),
            headers=headers,
            remote_addr=client[0] if client else None,
        )
        if _buffer.active():  # journal en cours de rejeu : derrière lui, pour garder l'ordre d'arrivée
            await self.keep(delivery)
            return
        try:
            code, answer, webhook, row = await _receive(delivery)
        except DATABASE_DOWN:
            await self.keep(delivery)
            return
        try:
            await self.answer(code, answer)
        finally:  # après la réponse (send_response lève StopConsumer) : TradingView n'attend pas Redis
            if webhook is not None:
                await notify_async(webhook, row)

    async def keep(self, delivery: Delivery) -> None:
        await _buffer.keep(delivery)
        await self.answer(200, {"status": Webhook.Status.RECEIVED, "detail": KEPT_WHILE_DOWN})

    async def answer(self, status: int, body: dict) -> None:
        await self.send_response(
            status, json.dumps(body, ensure_ascii=False).encode(), headers=[(b"Content-Type", b"application/json")]
        )
