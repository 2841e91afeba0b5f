"""Les soldes libres des brokers pendant une vague : lus une fois par broker (d'avance, pendant que les stratégies
décident), diminués de chaque achat passé, pour que les entrées simultanées d'une vague ne comptent pas deux fois
le même solde."""

import threading
from decimal import Decimal

from django.core.exceptions import ValidationError

from apps.brokers.models import Broker
from apps.core.exceptions import ExchangeError
from apps.core.services.ccxt_manager import ccxt_manager


class WaveFunds:
    def __init__(self):
        self._free: dict[int, dict[str, Decimal]] = {}
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, broker: Broker) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(broker.pk, threading.Lock())

    def _read(self, broker: Broker) -> dict[str, Decimal]:
        """Sous le verrou du broker : ses soldes libres, lus à la première demande."""
        if broker.pk not in self._free:
            self._free[broker.pk] = {c: b.free for c, b in ccxt_manager.sync.balances(broker).items()}
        return self._free[broker.pk]

    def load(self, brokers: list[Broker]) -> None:
        """Lecture d'avance ; un broker illisible l'est de nouveau par `reserve`, qui lève alors son erreur."""
        for broker in {b.pk: b for b in brokers}.values():
            with self._lock(broker):
                try:
                    self._read(broker)
                except (ExchangeError, ValidationError):
                    continue

    def reserve(self, *, broker: Broker, currency: str, amount: Decimal) -> tuple[bool, Decimal]:
        """(réservé ?, solde libre avant) ; lève ExchangeError si les soldes ne se lisent pas."""
        with self._lock(broker):
            free = self._read(broker).get(currency, Decimal(0))
            if amount > free:
                return False, free
            self._free[broker.pk][currency] = free - amount
            return True, free
