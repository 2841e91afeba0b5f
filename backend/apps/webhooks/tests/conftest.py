"""Monde des tests webhooks : jetons, broker paper par défaut, livraison HTTP, worker appelé pas à pas."""
import asyncio
import json
import threading
import time

import pytest
from rest_framework.test import APIClient

from apps.brokers.models import Broker
from apps.webhooks.services.tokens import token_for
from apps.webhooks.worker import WebhookWorker


@pytest.fixture
def paper_for(exchange_door, candle):
    """`paper_for(user)` : broker paper par défaut de `user` (10 000 USDT), BTC/USDT à 50 000."""
    candle("50000")

    def make(user, name="Démo paper"):
        broker = Broker.objects.create(user=user, name=name, exchange="paper")
        user.default_broker = broker
        user.save(update_fields=["default_broker"])
        return broker

    return make


@pytest.fixture
def deliver():
    """`deliver(token, body, content_type=, **extra)` : POST anonyme sur l'URL TradingView du jeton."""
    client = APIClient()

    def post(token, body, content_type="application/json", **extra):
        raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
        return client.generic("POST", f"/api/webhooks/tradingview/{token}/", raw, content_type=content_type, **extra)

    return post


@pytest.fixture
def alice_token(alice):
    return token_for(alice).token


@pytest.fixture
def drain():
    """Une passe du worker : traite tout ce qui attend ; retourne le nombre de webhooks traités."""
    return lambda: asyncio.run(WebhookWorker().drain())



@pytest.fixture
def running_worker():
    """Le vrai worker (réveil Redis + interrogation), dans son fil et sa boucle, arrêté à la fin du test."""
    ready = threading.Event()
    state = {}

    async def main():
        state["loop"], state["stop"] = asyncio.get_running_loop(), asyncio.Event()
        ready.set()
        await WebhookWorker(poll_seconds=0.5).run(state["stop"])

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    ready.wait(5)
    yield
    state["loop"].call_soon_threadsafe(state["stop"].set)
    thread.join(30)
    assert not thread.is_alive()


@pytest.fixture
def wait_until():
    """`wait_until(condition, seconds)` : attend que condition() soit vraie, échoue au-delà."""

    def wait(condition, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"condition non remplie après {seconds} s"
            time.sleep(0.1)

    return wait
