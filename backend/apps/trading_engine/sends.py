"""Les envois d'abord : pendant une vague, le suivi d'un ordre accusé (position, protection, messages) attend que
les autres activations de la vague aient envoyé le leur. Sans cela, les écritures des premiers ordres accusés
retardent l'envoi des derniers (un seul GIL, une seule base).

Chaque activation reçoit un ticket ; `sent()` une seule fois par ticket (ordre accusé, refusé, ou pas d'ordre),
puis `wait()` attend au plus WAIT_SECONDS (un exchange lent ne bloque pas le suivi des autres).
"""

import threading

WAIT_SECONDS = 1.0


class SendsFirst:
    def __init__(self, count: int):
        self._pending = count
        self._ready = threading.Condition()

    def ticket(self) -> "Ticket":
        return Ticket(self)

    def _one_sent(self) -> None:
        with self._ready:
            self._pending -= 1
            if self._pending <= 0:
                self._ready.notify_all()

    def wait(self) -> None:
        with self._ready:
            self._ready.wait_for(lambda: self._pending <= 0, timeout=WAIT_SECONDS)


class Ticket:
    def __init__(self, sends: SendsFirst):
        self._sends = sends
        self._done = False

    def sent(self) -> None:
        if not self._done:
            self._done = True
            self._sends._one_sent()

    def sent_then_wait(self, _trade=None) -> None:
        """Le `after_send` du service d'ordres : cet envoi est fait, le suivi attend ceux des autres."""
        self.sent()
        self._sends.wait()
