"""Monde des tests webhooks : jetons, broker paper par défaut, livraison HTTP, worker appelé pas à pas."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from e2e.servers import BACKEND, Process, free_port

from apps.brokers.models import Broker
from apps.webhooks.services.tokens import token_for
from apps.webhooks.worker import WebhookWorker
from testing.asgi_client import asgi_post, asgi_post_async
from testing.workers import worker_in_thread


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


def raw_body(body) -> bytes:
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return raw.encode() if isinstance(raw, str) else raw


@pytest.fixture
def deliver():
    """`deliver(token, body, content_type=, **extra)` : POST anonyme sur l'URL TradingView du jeton, à travers
    l'application ASGI complète."""

    def post(token, body, content_type="application/json", **extra):
        return asgi_post(f"/api/webhooks/tradingview/{token}/", raw_body(body), content_type, **extra)

    async def post_async(token, body, content_type="application/json", **extra):
        return await asgi_post_async(f"/api/webhooks/tradingview/{token}/", raw_body(body), content_type, **extra)

    post.from_async = post_async  # depuis un test asynchrone

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
    with worker_in_thread(lambda: WebhookWorker(poll_seconds=0.5)):
        yield


@pytest.fixture
def web_process(db_url, tmp_path):
    """`with web_process() as url:` Daphne (le serveur web de production) sur la base de test."""

    @contextmanager
    def run():
        port = free_port()
        server = Process(
            f"daphne-{port}",
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "aristobot.asgi:application"],
            BACKEND,
            dict(os.environ, DATABASE_URL=db_url),
            port,
            tmp_path,
        )
        server.start()
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.stop()

    return run


def webhook_worker(db_url: str, log_path) -> subprocess.Popen:
    """`manage.py run_webhook_worker` lancé sur la base de test, sa sortie dans `log_path`."""
    with open(log_path, "w") as log:
        return subprocess.Popen(
            [sys.executable, "manage.py", "run_webhook_worker"],
            cwd=BACKEND,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, DATABASE_URL=db_url),
        )


@pytest.fixture
def worker_process(db_url, tmp_path):
    """`with worker_process():` `manage.py run_webhook_worker` sur la base de test ; arrêté par SIGTERM,
    il doit sortir proprement."""

    @contextmanager
    def run():
        log_path = tmp_path / f"worker-{time.monotonic_ns()}.log"
        process = webhook_worker(db_url, log_path)
        try:
            yield
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=20) == 0, log_path.read_text()

    return run


@pytest.fixture
def http_post():
    """`http_post(url, body, content_type=)` : vraie requête HTTP ; retourne le code de la réponse."""

    def post(url: str, body: bytes, content_type: str = "application/json") -> int:
        request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    return post
