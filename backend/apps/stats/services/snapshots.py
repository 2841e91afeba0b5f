"""Instantanés de solde : pris par le moteur au démarrage, chaque heure et après chaque position clôturée."""

import logging
from datetime import datetime, timedelta

from channels.db import database_sync_to_async

from apps.brokers.models import Broker
from apps.core.outage import Outage
from apps.core.serializers import decimal_text
from apps.stats.models import BalanceSnapshot
from apps.trading_manual.services import valued_portfolio

logger = logging.getLogger("aristobot.stats")

HOUR = timedelta(hours=1)


class SnapshotTaker:
    """Prend les instantanés des brokers ; l'échec d'un broker (réseau, clés) est journalisé une fois, sans
    empêcher les autres. `hourly(now)` ne prend que si l'heure de `now` n'a pas encore le sien (horloge injectée
    dans les tests)."""

    def __init__(self):
        self._outages: dict[int, Outage] = {}
        self._last_hour: datetime | None = None

    async def take(self, brokers: list[Broker], *, reason: str, now: datetime) -> list[BalanceSnapshot]:
        taken = []
        for broker in brokers:
            outage = self._outages.setdefault(broker.pk, Outage(logger, f"Instantané de solde de « {broker.name} »"))
            try:
                portfolio = await valued_portfolio(broker)
            except Exception as error:
                outage.failed(error)
                continue
            outage.recovered()
            taken.append(await _store(broker, portfolio, reason=reason, now=now))
        return taken

    async def start(self, brokers: list[Broker], *, now: datetime) -> list[BalanceSnapshot]:
        """Au démarrage du moteur ; il vaut pour l'heure en cours."""
        self._last_hour = now.replace(minute=0, second=0, microsecond=0)
        return await self.take(brokers, reason=BalanceSnapshot.Reason.START, now=now)

    async def hourly(self, brokers: list[Broker], *, now: datetime) -> list[BalanceSnapshot]:
        hour = now.replace(minute=0, second=0, microsecond=0)
        if self._last_hour == hour:
            return []
        self._last_hour = hour
        return await self.take(brokers, reason=BalanceSnapshot.Reason.HOURLY, now=now)


@database_sync_to_async
def _store(broker: Broker, portfolio: dict, *, reason: str, now: datetime) -> BalanceSnapshot:
    assets = {
        row["asset"]: {"total": decimal_text(row["total"]), "usd_value": decimal_text(row["usd_value"])}
        for row in portfolio["assets"]
    }
    return BalanceSnapshot.objects.create(
        broker=broker, taken_at=now, reason=reason, total_usd=portfolio["total_usd"], assets=assets
    )
