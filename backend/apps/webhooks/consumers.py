"""La réception des alertes TradingView, servie par Channels avant la pile de Django.

TradingView envoie souvent des dizaines d'alertes à la même clôture et abandonne une livraison après 3 s : sans
session, sans cookie, sans utilisateur, cette URL n'a besoin d'aucun middleware de Django ; chacun coûtait un aller-
retour entre fils par requête. La partie en base tourne dans les fils de la réception (connexions gardées), la
publication vers la page et le worker sur la boucle de Daphne.
"""

import json

from channels.generic.http import AsyncHttpConsumer
from django.utils.datastructures import CaseInsensitiveMapping

from apps.webhooks.models import Webhook
from apps.webhooks.receiving_pool import ReceivingBatches
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
        code, answer, webhook, row = await _receive(
            Delivery(
                token=self.scope["url_route"]["kwargs"]["token"],
                body=body,
                content_type=(headers.get("Content-Type") or "").split(";")[0].strip(),
                headers=headers,
                remote_addr=client[0] if client else None,
            )
        )
        try:
            await self.answer(code, answer)
        finally:  # après la réponse (send_response lève StopConsumer) : TradingView n'attend pas Redis
            if webhook is not None:
                await notify_async(webhook, row)

    async def answer(self, status: int, body: dict) -> None:
        await self.send_response(
            status, json.dumps(body, ensure_ascii=False).encode(), headers=[(b"Content-Type", b"application/json")]
        )
