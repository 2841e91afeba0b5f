"""Un vrai worker (backtests, webhooks, alertes) dans son fil et sa boucle asyncio, le temps d'un test."""

import asyncio
import threading
from contextlib import contextmanager


@contextmanager
def worker_in_thread(make_worker, join_seconds: float = 30):
    """`with worker_in_thread(lambda: WebhookWorker(poll_seconds=0.5)):` le worker tourne (réveil Redis +
    interrogation) ; à la sortie, il est arrêté et son fil doit finir."""
    ready, state = threading.Event(), {}

    async def main():
        state["loop"], state["stop"] = asyncio.get_running_loop(), asyncio.Event()
        ready.set()
        await make_worker().run(state["stop"])

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(5), "le worker n'a pas démarré"
    try:
        yield
    finally:
        state["loop"].call_soon_threadsafe(state["stop"].set)
        thread.join(join_seconds)
        assert not thread.is_alive(), "le worker ne s'est pas arrêté"
