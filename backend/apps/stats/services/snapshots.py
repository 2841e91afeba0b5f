"""Instantanés de solde et leur calendrier : au démarrage du moteur, chaque heure et après chaque position clôturée.
Le moteur ne fait qu'appeler `start` puis `check` à chaque contrôle ; ce module décide quoi prendre."""

import asyncio
import logging
from datetime import datetime, timedelta

from channels.db import database_sync_to_async
from django.db import close_old_connections

from apps.brokers.models import Broker
from apps.brokers.valuation import portfolio
from apps.core.outage import Outage
from apps.core.serializers import decimal_text
from apps.orders.models import Position
from apps.stats.models import BalanceSnapshot

logger = logging.getLogger("aristobot.stats")

HOUR = timedelta(hours=1)


class SnapshotTaker:
    """Prend les instantanés des brokers ; l'échec d'un broker (réseau, clés) est journalisé une fois, sans
    empêcher les autres. `hourly(now)` ne prend que si l'heure de `now` n'a pas encore le sien (horloge injectée
    dans les tests)."""

    def __init__(self):
        self._outages: dict[int, Outage] = {}
        self._last_hour: datetime | None = None
        self._checked_at: datetime | None = None  # début du contrôle précédent

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

    async def check(self, brokers: list[Broker], *, now: datetime) -> list[BalanceSnapshot]:
        """À chaque contrôle du moteur : l'instantané de l'heure s'il manque, puis celui des brokers dont une
        position s'est clôturée depuis le contrôle précédent."""
        taken = await self.hourly(brokers, now=now)
        if self._checked_at is not None:
            closed = await database_sync_to_async(set)(
                Position.objects.filter(closed_at__gte=self._checked_at).values_list("broker_id", flat=True)
            )
            taken += await self.take(
                [b for b in brokers if b.pk in closed], reason=BalanceSnapshot.Reason.POSITION_CLOSED, now=now
            )
        self._checked_at = now
        return taken


def _store(broker: Broker, portfolio: dict, *, reason: str, now: datetime) -> BalanceSnapshot:
    assets = {
        row["asset"]: {"total": decimal_text(row["total"]), "usd_value": decimal_text(row["usd_value"])}
        for row in portfolio["assets"]
    }
    return BalanceSnapshot.objects.create(
        broker=broker, taken_at=now, reason=reason, total_usd=portfolio["total_usd"], assets=assets
    )
