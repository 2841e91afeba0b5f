"""La file des envois : un canal en panne est réessayé plus tard, signalé une fois sur l'autre canal, et le message
n'arrive qu'une fois ; un `run_alerts` tué pendant un envoi ne renvoie pas ce message, et ne perd pas les autres."""

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import timezone

from apps.alerts.events import emit
from apps.alerts.models import AlertDelivery, AlertEvent
from apps.alerts.preferences import link_chat, new_link_code
from apps.alerts.tests.conftest import ALICE_CHAT
from testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)
BACKEND = Path(__file__).resolve().parents[3]
Status = AlertDelivery.Status


def test_telegram_down_is_retried_reported_by_email_and_sent_once(alice_linked, alice_api, telegram, smtp, drain):
    telegram.failure = (500, "Internal Server Error: restart")
    assert alice_api.post("/api/alerts/test/", {"channel": "telegram"}, format="json").status_code == 202

    drain()

    delivery = AlertDelivery.objects.get(channel="telegram", event__kind="test")
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 1)
    assert delivery.last_error == "Telegram a refusé l'envoi : Internal Server Error: restart"
    assert delivery.next_try_at > timezone.now()
    report = smtp.wait_for("alice@example.com", "Les alertes Telegram n'arrivent plus")
    assert report["subject"] == "Aristobot : Échec d'envoi d'une alerte"
    failures = alice_api.get("/api/alerts/settings/").data["failures"]
    assert failures["telegram"]["error"] == delivery.last_error

    telegram.failure = None
    AlertDelivery.objects.filter(pk=delivery.pk).update(next_try_at=timezone.now())  # l'attente est passée
    drain()
    drain()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SENT, 2)
    assert telegram.messages_to(ALICE_CHAT) == ["Test des alertes Aristobot (Telegram) : ce canal fonctionne."]
    assert alice_api.get("/api/alerts/settings/").data["failures"] == {}
    assert len(smtp.to("alice@example.com")) == 1  # la panne signalée une fois


def start_alerts(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_alerts"],
        cwd=BACKEND,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_a_drainer_killed_mid_send_loses_nothing_and_sends_nothing_twice(alice, telegram, db_url):
    link_chat(code=new_link_code(user_id=alice.pk).telegram_link_code, chat=str(ALICE_CHAT))
    # Un fuseau où il est 1 h du matin : le résumé du jour (20 h) n'est pas dû pendant le test, quelle que soit l'heure.
    hour = datetime.now(UTC).hour
    offset = 1 - hour if hour <= 13 else 25 - hour
    alice.display_timezone = f"Etc/GMT{-offset:+d}"
    alice.save(update_fields=["display_timezone"])
    env = dict(
        os.environ,
        DATABASE_URL=db_url,
        TELEGRAM_BOT_TOKEN=telegram.token,
        TELEGRAM_API_URL=telegram.url,
        TELEGRAM_POLL_SECONDS="1",
        EMAIL_HOST="",
    )
    telegram.holding = True
    emit(kind="order_filled", user_id=alice.pk, text="Premier : en vol au moment du crash", key="a")
    emit(kind="order_filled", user_id=alice.pk, text="Second : encore en file", key="b")
    first = start_alerts(env)
    try:
        wait_until(lambda: telegram.messages_to(ALICE_CHAT))
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    telegram.release.set()
    telegram.holding = False
    emit(kind="order_filled", user_id=alice.pk, text="Troisième : arrivé pendant l'arrêt", key="c")

    second = start_alerts(env)
    try:
        wait_until(lambda: AlertDelivery.objects.filter(event__key="c", status=Status.SENT).exists(), seconds=30)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(15)

    assert telegram.messages_to(ALICE_CHAT) == [
        "Premier : en vol au moment du crash",
        "Second : encore en file",
        "Troisième : arrivé pendant l'arrêt",
    ]
    statuses = dict(AlertDelivery.objects.values_list("event__key", "status"))
    assert statuses == {"a": Status.INTERRUPTED, "b": Status.SENT, "c": Status.SENT}
    assert AlertEvent.objects.count() == 3
