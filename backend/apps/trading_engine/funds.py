"""Les soldes libres des brokers pendant une vague : lus une fois par broker, diminués de chaque achat passé, pour
que les entrées simultanées d'une vague ne comptent pas deux fois le même solde."""

import threading
from decimal import Decimal

from apps.brokers.models import Broker
from apps.core.services.ccxt_manager import ccxt_manager


class WaveFunds:
    def __init__(self):
        self._free: dict[int, dict[str, Decimal]] = {}
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()

    def reserve(self, *, broker: Broker, currency: str, amount: Decimal) -> tuple[bool, Decimal]:
        """(réservé ?, solde libre avant) ; lève ExchangeError si les soldes ne se lisent pas."""
        with self._guard:
            lock = self._locks.setdefault(broker.pk, threading.Lock())
        with lock:
            if broker.pk not in self._free:
                self._free[broker.pk] = {c: b.free for c, b in ccxt_manager.sync.balances(broker).items()}
            free = self._free[broker.pk].get(currency, Decimal(0))
            if amount > free:
                return False, free
            self._free[broker.pk][currency] = free - amount
            return True, free
