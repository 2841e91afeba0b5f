"""Les vrais processus d'Aristobot sous le superviseur : le worker des webhooks, puis le heartbeat et le moteur,
tués par SIGKILL, reviennent seuls en moins de 10 s, Daphne répond tout du long (un GET toutes les 50 ms), les
webhooks reçus pendant la panne sont traités au retour, et SIGINT (Ctrl-C) arrête tout. Le superviseur écrit
sur une console cp850 stricte."""

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request

import pytest
from e2e.servers import wait_port

from apps.brokers.models import Broker
from apps.webhooks.models import Webhook
from apps.webhooks.services.tokens import token_for
from scripts_tests.conftest import alive, started_pids, started_services, supervised
from testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def get_status(url: str) -> int | str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:
        return f"{type(error).__name__} : {error}"


def post_signal(url: str, body: dict) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Poller:
    """GET toutes les 50 ms dans un fil ; garde chaque réponse."""

    def __init__(self, url: str):
        self.url, self.results, self.running = url, [], True
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while self.running:
            self.results.append(get_status(self.url))
            time.sleep(0.05)

    def stop(self) -> list:
        self.running = False
        self.thread.join(5)
        return self.results


def test_killed_worker_restarts_while_daphne_keeps_answering(db_url, alice, candle):
    candle("50000")
    broker = Broker.objects.create(user=alice, name="Démo paper", exchange="paper")
    alice.default_broker = broker
    alice.save(update_fields=["default_broker"])
    token = token_for(alice).token
    started = ("Worker des webhooks démarré", "Moteur de trading démarré", "Heartbeat démarré")
    with supervised(db_url, started=started) as (supervisor, output, web_port):
        base = f"http://127.0.0.1:{web_port}"
        assert get_status(f"{base}/api/auth/current/") == 200
        first = dict(started_services(output))
        assert set(first) == {"simulator", "web", "heartbeat", "engine", "webhooks", "backtests", "alerts", "watchdog"}

        poller = Poller(f"{base}/api/auth/current/")
        wait_until(lambda: len(poller.results) >= 5)  # Daphne répond déjà avant la panne
        os.kill(first["webhooks"], signal.SIGKILL)
        output.wait_for("webhooks  | arrêté (tué par SIGKILL) : relancé dans 1 s", seconds=5)
        # Reçus pendant que le worker est à terre : Daphne répond, rien n'est perdu.
        statuses = [
            post_signal(
                f"{base}/api/webhooks/tradingview/{token}/",
                {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.001", "id": f"panne-{n}"},
            )
            for n in range(5)
        ]
        # Relancé après 1 s (le journal du superviseur le dit) ; le temps de démarrage de Django dépend de la machine.
        output.wait_for("Worker des webhooks démarré", count=2, seconds=60)
        assert statuses == [200] * 5
        now = started_services(output)
        assert [name for name, _ in now[len(first) :]] == ["webhooks"]  # seul le worker a été relancé
        assert dict(now)["webhooks"] != first["webhooks"]
        deadline = time.monotonic() + 60
        while Webhook.objects.filter(status=Webhook.Status.PROCESSED).count() < 5:
            assert time.monotonic() < deadline, list(Webhook.objects.values_list("status", "error"))
            time.sleep(0.2)

        # Le heartbeat et le moteur ensemble : tous deux reviennent, le heartbeat se reconnecte au flux.
        os.kill(first["heartbeat"], signal.SIGKILL)
        os.kill(first["engine"], signal.SIGKILL)
        output.wait_for("heartbeat | arrêté (tué par SIGKILL) : relancé dans 1 s", seconds=10)
        output.wait_for("engine    | arrêté (tué par SIGKILL) : relancé dans 1 s", seconds=10)
        output.wait_for("Heartbeat démarré", count=2, seconds=60)
        output.wait_for("Moteur de trading démarré", count=2, seconds=60)
        output.wait_for("Connecté au flux Binance", count=2, seconds=60)
        polled = len(poller.results)
        wait_until(lambda: len(poller.results) >= polled + 5)  # et encore après le retour des deux
        results = poller.stop()
        assert [status for status in results if status != 200] == []
        assert len(results) >= 40
        assert sorted(name for name, _ in started_services(output)[len(first) :]) == ["engine", "heartbeat", "webhooks"]

        pids = started_pids(output)
        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=30) == 0
        output.thread.join(5)
        assert "arrêt de tous les services" in output.text
        assert [pid for pid in pids if alive(pid)] == []
        wait_port(web_port, up=False, seconds=5)
        assert "Traceback" not in output.text, output.text[-4000:]
