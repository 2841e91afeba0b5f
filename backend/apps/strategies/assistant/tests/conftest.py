"""Faux OpenRouter et faux Ollama locaux, utilisateurs qui les ont activés, requêtes ASGI comme sous Daphne."""

import json
import secrets

import pytest
from asgiref.sync import sync_to_async
from channels.testing import ApplicationCommunicator
from django.db import connection
from django.test import Client

from testing.fake_ollama import FakeOllama
from testing.fake_openrouter import FakeOpenRouter

OPENROUTER_KEY = "sk-or-v1-alice-secret"
BROWSER_ACCEPT = "application/x-ndjson, application/json"  # en-tête envoyé par src/api/client.js:stream


@pytest.fixture
def fake_openrouter(settings):
    with FakeOpenRouter(api_key=OPENROUTER_KEY) as fake:
        settings.OPENROUTER_BASE_URL = fake.base_url
        yield fake
        fake.gate.set()


@pytest.fixture
def fake_ollama():
    with FakeOllama() as fake:
        yield fake
        fake.gate.set()


@pytest.fixture
def openrouter_user(alice, fake_openrouter):
    alice.ai_openrouter_enabled, alice.ai_openrouter_key = True, OPENROUTER_KEY
    alice.save()
    return alice


@pytest.fixture
def ollama_user(alice, fake_ollama):
    alice.ai_ollama_enabled, alice.ai_ollama_url = True, fake_ollama.url
    alice.save()
    return alice


class AsgiResponse:
    """La réponse d'une requête envoyée à l'application ASGI, lue message par message comme Daphne la lit."""

    def __init__(self, communicator: ApplicationCommunicator):
        self.communicator = communicator
        self.status: int | None = None
        self.finished = False

    async def start(self) -> "AsgiResponse":
        message = await self.communicator.receive_output(10)
        assert message["type"] == "http.response.start"
        self.status = message["status"]
        return self

    async def next_body(self) -> bytes:
        """Le prochain morceau envoyé par Django (vide à la fin)."""
        message = await self.communicator.receive_output(10)
        self.finished = not message.get("more_body", False)
        return message.get("body", b"")

    async def events(self, count: int | None = None) -> list[dict]:
        """Les événements NDJSON des morceaux suivants : `count` morceaux, ou jusqu'à la fin."""
        events = []
        while not self.finished and (count is None or len(events) < count):
            body = await self.next_body()
            events.extend(json.loads(line) for line in body.decode().splitlines() if line)
        return events


def _login(client: Client, user) -> None:
    client.force_login(user)
    connection.close()  # connexion de ce fil ouverte pour la session : fermée, la base de test peut être supprimée


@pytest.fixture
def asgi_post():
    """POST JSON à `aristobot.asgi.application` avec la session de `user` (cookie + CSRF, comme le navigateur)."""
    from aristobot.asgi import application

    async def post(path: str, body: dict, *, user) -> AsgiResponse:
        client = Client()
        await sync_to_async(_login)(client, user)
        token = secrets.token_hex(16)
        cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
        data = json.dumps(body).encode()
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"127.0.0.1"),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                (b"accept", BROWSER_ACCEPT.encode()),
                (b"cookie", cookie.encode()),
                (b"x-csrftoken", token.encode()),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "http.request", "body": data, "more_body": False})
        return await AsgiResponse(communicator).start()

    return post
