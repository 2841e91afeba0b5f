"""Le worker des webhooks (`manage.py run_webhook_worker`) : passe les ordres après la réponse à TradingView.

La mécanique (files par utilisateur, voies, réveil, baux) est celle de `core/user_lanes.py` ; ici, la file des
webhooks. Au démarrage il reprend ce qu'un arrêt (même brutal) a laissé en base. Plusieurs utilisateurs en
parallèle ; les webhooks d'un même utilisateur un par un, dans l'ordre d'arrivée. Tant que le traitement dure
(exchange lent), la réservation est renouvelée toutes les RENEW_SECONDS.
"""

import logging

from apps.core.channels import WEBHOOK_WORKER_GROUP
from apps.core.user_lanes import UserLanesWorker
from apps.webhooks.services.processing import (
    RENEW_SECONDS,
    Claim,
    claim_next,
    fail_webhook,
    process_webhook,
    release_claims,
    renew_claims,
)

logger = logging.getLogger("aristobot.webhooks")

POLL_SECONDS = 2.0
LANES = 4


class WebhookWorker(UserLanesWorker):
    name = "Worker des webhooks"
    group = WEBHOOK_WORKER_GROUP
    lanes, poll_seconds, lease_seconds = LANES, POLL_SECONDS, RENEW_SECONDS

    def claim(self, busy_users: set[int]) -> Claim | None:
        return claim_next(busy_users=busy_users)

    def handle(self, claim: Claim, stopping) -> None:
        process_webhook(claim.pk)

    def fail(self, claim: Claim, error: Exception) -> None:
        fail_webhook(claim.pk, f"Erreur interne pendant le traitement : {error}")

    def renew(self, job_ids: set[int]) -> None:
        renew_claims(job_ids)

    def recover(self) -> None:
        released = release_claims()
        if released:
            logger.warning("%d webhook(s) interrompu(s) par l'arrêt précédent : repris maintenant", released)
