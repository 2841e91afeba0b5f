"""Instantanés de solde : pris par le moteur au démarrage, chaque heure et après chaque position clôturée."""

import asyncio
import logging
from datetime import datetime, timedelta

from django.db import close_old_connections

from apps.brokers.models import Broker
from apps.core.outage import Outage
from apps.core.serializers import decimal_text
from apps.stats.models import BalanceSnapshot
from apps.trading_manual.services import portfolio

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
        # Dans un fil à part, par la porte synchrone : ni la boucle du moteur ni le fil partagé des
        # sync_to_async (où le moteur contrôle ses bougies) n'attendent les exchanges.
        return await asyncio.to_thread(self._take, brokers, reason, now)

    def _take(self, brokers: list[Broker], reason: str, now: datetime) -> list[BalanceSnapshot]:
        taken = []
        try:
            for broker in brokers:
                outage = self._outages.setdefault(
                    broker.pk, Outage(logger, f"Instantané de solde de « {broker.name} »")
                )
                try:
                    valued = portfolio(broker=broker)
                except Exception as error:
                    outage.failed(error)
                    continue
                outage.recovered()
                taken.append(_store(broker, valued, reason=reason, now=now))
        finally:
            close_old_connections()
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


def _store(broker: Broker, portfolio: dict, *, reason: str, now: datetime) -> BalanceSnapshot:
    assets = {
        row["asset"]: {"total": decimal_text(row["total"]), "usd_value": decimal_text(row["usd_value"])}
        for row in portfolio["assets"]
    }
    return BalanceSnapshot.objects.create(
        broker=broker, taken_at=now, reason=reason, total_usd=portfolio["total_usd"], assets=assets
    )
