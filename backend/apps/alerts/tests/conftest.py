"""Monde des tests d'alertes : faux Telegram (API Bot locale), vrai serveur SMTP local (aiosmtpd), worker."""

import asyncio
import threading
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from e2e.servers import free_port

from apps.alerts.preferences import link_chat, new_link_code, update
from apps.alerts.worker import AlertsWorker
from testing.fake_telegram import FakeTelegram
from testing.workers import worker_in_thread

ALICE_CHAT = 4242


class Inbox:
    """Ce que le serveur SMTP local a reçu : (destinataires, sujet, corps) ; `wait_for` attend un message."""

    def __init__(self):
        self.messages: list[dict] = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content)
        body = parsed.get_payload(decode=True).decode(parsed.get_content_charset() or "utf-8")
        with self.changed:
            self.messages.append(
                {"to": envelope.rcpt_tos, "subject": str(make_header(decode_header(parsed["Subject"]))), "body": body}
            )
            self.changed.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[dict]:
        return [message for message in self.messages if address in message["to"]]

    def wait_for(self, address: str, contains: str, seconds: float = 10) -> dict:
        with self.changed:
            found = self.changed.wait_for(
                lambda: [m for m in self.to(address) if contains in m["body"]], timeout=seconds
            )
        assert found, f"Aucun e-mail pour {address} contenant {contains!r} : {self.to(address)}"
        return found[-1]


@pytest.fixture
def telegram(settings):
    with FakeTelegram() as fake:
        settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_API_URL = fake.token, fake.url
        settings.TELEGRAM_POLL_SECONDS = 1
        yield fake


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


@pytest.fixture
def alice_linked(alice, telegram, smtp):
    """alice : chat Telegram 4242 lié (par le code, comme dans Mon compte) et e-mail alice@example.com."""

    code = new_link_code(user_id=alice.pk).telegram_link_code
    link_chat(code=code, chat=str(ALICE_CHAT))
    update(user_id=alice.pk, email="alice@example.com")
    return alice


@pytest.fixture
def drain(settings):
    """Une passe du worker des alertes (répartition puis envois dus)."""
    return lambda: asyncio.run(AlertsWorker().drain())


@pytest.fixture
def running_worker():
    """Le vrai worker (file + commandes Telegram), dans son fil et sa boucle, arrêté à la fin du test."""
    with worker_in_thread(lambda: AlertsWorker(poll_seconds=0.3)):
        yield
