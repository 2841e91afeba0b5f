"""Une panne journalisée deux fois : à son début et à son retour, jamais à chaque nouvel essai."""

import logging
import time


class Outage:
    def __init__(self, logger: logging.Logger, what: str):
        self.logger, self.what = logger, what
        self.since: float | None = None

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, error: Exception) -> None:
        if self.since is None:
            self.since = time.monotonic()
            self.logger.warning("%s : %s (nouvel essai en continu, rien n'est perdu)", self.what, error)

    def recovered(self) -> None:
        if self.since is not None:
            self.logger.warning("%s : rétabli après %.0f s", self.what, time.monotonic() - self.since)
            self.since = None
