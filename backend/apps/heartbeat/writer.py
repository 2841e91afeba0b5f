"""Enregistrement des bougies en tâche de fond, dans l'ordre reçu : la publication n'attend pas la base."""

import asyncio
from collections import deque

from apps.heartbeat.bars import Bar
from apps.heartbeat.status import StatusTracker
from apps.heartbeat.storage import store_bars

RETRY_SECONDS = 1.0
MAX_DELAY_SECONDS = 1.0  # sans `flush`, la file est écrite au plus tard après ce délai


class CandleWriter:
    """File d'écriture unique, dans l'ordre reçu.

    `add` enfile ; `flush` lance l'écriture quand le flux se tait, pour que les publications ne partagent pas
    le processeur avec elle. `store` attend que ses bougies, et toutes celles enfilées avant, soient en base,
    et rend celles qui n'y étaient pas encore (idempotence sur exchange, symbole, unité, ouverture).
    Une erreur de base garde toute la file et réessaie : une bougie publiée puis oubliée serait reprise par
    REST au démarrage suivant, donc publiée deux fois.
    """

    def __init__(self, *, status: StatusTracker, retry_seconds: float = RETRY_SECONDS):
        self.status = status
        self.retry_seconds = retry_seconds
        self.jobs: deque[tuple[list[Bar], asyncio.Future | None]] = deque()
        self.wake = asyncio.Event()

    def add(self, bars: list[Bar]) -> None:
        if bars:
            self.jobs.append((bars, None))

    def flush(self) -> None:
        if self.jobs:
            self.wake.set()

    async def store(self, bars: list[Bar]) -> list[Bar]:
        """Enregistre `bars` ; retourne celles réellement ajoutées, dans l'ordre donné."""
        future = asyncio.get_running_loop().create_future()
        self.jobs.append((bars, future))
        self.wake.set()
        return await future

    async def run(self) -> None:
        """Écrit la file à chaque `flush` ou `store`, au plus tard après MAX_DELAY_SECONDS, jusqu'à annulation."""
        while True:
            try:
                async with asyncio.timeout(MAX_DELAY_SECONDS):
                    await self.wake.wait()
            except TimeoutError:
                pass
            self.wake.clear()
            while self.jobs and not await self.write():
                await asyncio.sleep(self.retry_seconds)

    async def write(self) -> bool:
        """Une tentative pour toute la file, en un lot (aussi la dernière, à l'arrêt) ; False si la base l'a
        refusée."""
        jobs = list(self.jobs)
        bars = [bar for job_bars, _ in jobs for bar in job_bars]
        try:
            new = await store_bars(bars)
        except Exception as exc:
            self.status.error(f"enregistrement de {len(bars)} bougie(s) impossible, nouvel essai : {exc}")
            return False
        for _ in jobs:
            self.jobs.popleft()
        added = {id(bar) for bar in new}
        for job_bars, future in jobs:
            if future is not None and not future.done():
                future.set_result([bar for bar in job_bars if id(bar) in added])
        return True
