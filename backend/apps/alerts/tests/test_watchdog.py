"""Le chien de garde : heartbeat muet, service gelé (SIGSTOP) puis repris, moteur tué en boucle ; chaque incident
alerté une fois à son début, une fois « Résolu », à tous les utilisateurs."""

import asyncio
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.utils import timezone
from e2e.servers import free_port

from apps.alerts.models import AlertEvent, Incident
from apps.alerts.tests.conftest import ALICE_CHAT
from apps.alerts.watchdog import Watchdog, check
from apps.core import liveness
from apps.core.models import ServiceBeat
from apps.heartbeat.models import HeartbeatStatus
from apps.orders.reconciler import RECONCILER
from apps.trading_engine.engine import TradingEngine
from testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)
BACKEND = Path(__file__).resolve().parents[3]


def test_a_silent_heartbeat_is_alerted_once_to_everyone_then_resolved(alice_linked, bob, telegram, smtp, drain):
    status = HeartbeatStatus.load()
    status.last_candle_at = timezone.now() - timedelta(seconds=200)
    status.save()

    assert check() == (["heartbeat-silent"], [])
    assert check() == ([], [])  # toujours là : pas de nouvelle alerte
    drain()

    alert = telegram.wait_for_message(ALICE_CHAT, "Heartbeat silencieux")
    assert alert.startswith("Heartbeat silencieux : dernière bougie 1m clôturée il y a 2")
    smtp.wait_for("alice@example.com", "Heartbeat silencieux")
    assert AlertEvent.objects.filter(user=bob, kind="incident").count() == 1

    status.last_candle_at = timezone.now()
    status.save()
    assert check() == ([], ["heartbeat-silent"])
    drain()

    assert telegram.wait_for_message(ALICE_CHAT, "Résolu").startswith("Résolu : Heartbeat silencieux")
    assert AlertEvent.objects.filter(user=bob, kind="incident_resolved").count() == 1
    assert len([text for text in telegram.messages_to(ALICE_CHAT) if "Heartbeat" in text]) == 2


def service(command: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", command],
        cwd=BACKEND,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.fixture
def service_env(db_url):
    port = free_port()  # personne n'y écoute : le heartbeat réessaie sans fin, vivant
    return dict(
        os.environ,
        DATABASE_URL=db_url,
        BINANCE_WS_URL=f"ws://127.0.0.1:{port}",
        BINANCE_REST_URL=f"http://127.0.0.1:{port}",
        SERVICE_BEAT_SECONDS="1",
        WATCHDOG_INTERVAL_SECONDS="1",
        WATCHDOG_SILENT_SECONDS="5",
    )


def test_a_frozen_heartbeat_process_is_seen_by_the_watchdog_process_then_resolved(alice, service_env):
    heartbeat, watchdog = service("run_heartbeat", service_env), service("run_watchdog", service_env)
    try:
        wait_until(lambda: ServiceBeat.objects.filter(name="Heartbeat").exists())
        wait_until(lambda: ServiceBeat.objects.filter(name="Chien de garde").exists())
        assert not Incident.objects.filter(key="silent-Heartbeat").exists()

        os.kill(heartbeat.pid, signal.SIGSTOP)
        incident = wait_until(lambda: Incident.objects.filter(key="silent-Heartbeat", ended_at=None).first())
        assert incident.text.startswith("Heartbeat silencieux depuis ")
        assert AlertEvent.objects.get(user=alice, kind="incident").text == incident.text

        os.kill(heartbeat.pid, signal.SIGCONT)
        wait_until(lambda: Incident.objects.filter(key="silent-Heartbeat").exclude(ended_at=None).exists())
        resolved = AlertEvent.objects.get(user=alice, kind="incident_resolved").text
        assert resolved.startswith("Résolu : Heartbeat silencieux depuis ")
    finally:
        for process in (heartbeat, watchdog):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def test_an_engine_killed_again_and_again_is_a_crash_loop(alice, service_env):
    for start in range(1, 5):
        engine = service("run_trading_engine", service_env)
        try:
            wait_until(
                lambda n=start: (
                    len(getattr(ServiceBeat.objects.filter(name="Moteur de trading").first(), "starts", [])) == n
                )
            )
        finally:
            os.killpg(engine.pid, signal.SIGKILL)
            engine.wait(10)

    opened, _ = check()

    assert "crash-loop-Moteur de trading" in opened
    text = AlertEvent.objects.get(user=alice, kind="incident", text__contains="relancé").text
    assert text == "Moteur de trading relancé 3 fois en 10 minutes"


def test_the_reconciler_not_run_for_3_minutes_is_an_incident_then_resolved(alice):
    engine = TradingEngine()
    try:
        asyncio.run(engine.reconcile())  # la passe du moteur note le signe de vie du réconciliateur
    finally:
        engine.cycle.close()
    beat = ServiceBeat.objects.get(name=RECONCILER)
    assert timezone.now() - beat.last_seen < timedelta(seconds=30)

    ServiceBeat.objects.filter(name=RECONCILER).update(last_seen=timezone.now() - timedelta(seconds=150))
    assert check() == ([], [])  # 2 min 30 : encore dans le délai du réconciliateur (3 min)
    ServiceBeat.objects.filter(name=RECONCILER).update(last_seen=timezone.now() - timedelta(seconds=200))
    assert check() == ([f"silent-{RECONCILER}"], [])
    [alert] = AlertEvent.objects.filter(user=alice, kind="incident").values_list("text", flat=True)
    assert alert.startswith("Réconciliateur non exécuté depuis 200 s")

    liveness.work_done(RECONCILER)
    assert check() == ([], [f"silent-{RECONCILER}"])


def test_postgresql_down_is_sent_directly_then_resolved_when_it_is_back(alice_linked, telegram, smtp, drain):
    watchdog = Watchdog()
    asyncio.run(watchdog.step())  # base joignable : destinataires directs relus
    assert sorted(watchdog.recipients) == [("email", "alice@example.com"), ("telegram", str(ALICE_CHAT))]

    database = connections["default"].settings_dict
    port = database["PORT"]
    database["PORT"] = str(free_port())  # personne n'écoute : PostgreSQL injoignable pour les nouvelles connexions
    # Une vraie panne coupe aussi les connexions ouvertes : celles du test et du fil des appels synchrones (où
    # tourne la passe du chien de garde, et qu'un test précédent a pu laisser ouverte) sont fermées.
    connections.close_all()
    asyncio.run(sync_to_async(connections.close_all)())
    try:
        asyncio.run(watchdog.step())
        asyncio.run(watchdog.step())  # toujours en panne : rien de plus
    finally:
        database["PORT"] = port
    assert telegram.wait_for_message(ALICE_CHAT, "PostgreSQL injoignable").startswith("PostgreSQL injoignable depuis")
    assert smtp.wait_for("alice@example.com", "PostgreSQL injoignable")["subject"] == "Aristobot : incident"
    assert len([text for text in telegram.messages_to(ALICE_CHAT) if "PostgreSQL" in text]) == 1

    asyncio.run(watchdog.step())  # la base est revenue
    incident = Incident.objects.get(key="postgresql")
    assert incident.ended_at is not None
    [resolved] = AlertEvent.objects.filter(user=alice_linked, kind="incident_resolved").values_list("text", flat=True)
    assert resolved.startswith("Résolu : PostgreSQL injoignable depuis")
    drain()
    assert telegram.wait_for_message(ALICE_CHAT, "Résolu : PostgreSQL").startswith("Résolu : PostgreSQL injoignable")
