"""Le port de Daphne est ouvert par le superviseur et transmis à Daphne (`daphne --fd`) : Daphne tué par SIGKILL
pendant une rafale de webhooks, les connexions arrivées pendant sa relance attendent dans la file du noyau et sont
toutes répondues à son retour, aucune refusée ; chaque webhook est enregistré et passe un seul ordre."""

import json
import os
import signal
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from apps.brokers.models import Broker
from apps.orders.models import Trade
from apps.webhooks.models import Webhook
from apps.webhooks.services.tokens import token_for
from scripts_tests.conftest import started_services, supervised

pytestmark = pytest.mark.django_db(transaction=True)

# Le temps de relance de Daphne (1 s d'attente du superviseur, puis Django à charger) : quelques secondes sur un
# poste normal, bien plus sur une machine de test chargée ; ce qui compte ici : aucune connexion refusée.
CLIENT_TIMEOUT = 60


def deliver(url: str, n: int) -> int | str:
    body = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.001", "id": f"rafale-{n}"}
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=CLIENT_TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:
        return f"{type(error).__name__} : {error}"


def test_webhooks_sent_while_daphne_restarts_wait_and_are_all_answered(db_url, alice, candle):
    candle("50000")
    broker = Broker.objects.create(user=alice, name="Démo paper", exchange="paper")
    alice.default_broker = broker
    alice.save(update_fields=["default_broker"])
    with supervised(db_url, started=("Worker des webhooks démarré",)) as (_, output, web_port):
        url = f"http://127.0.0.1:{web_port}/api/webhooks/tradingview/{token_for(alice).token}/"
        first = dict(started_services(output))

        with ThreadPoolExecutor(8) as pool:
            before = list(pool.map(lambda n: deliver(url, n), range(40)))
            os.kill(first["web"], signal.SIGKILL)
            output.wait_for("arrêté (tué par SIGKILL)", seconds=5)
            # Daphne à terre : le port reste ouvert, les connexions attendent son retour.
            during = list(pool.map(lambda n: deliver(url, n), range(40, 80)))

        assert before == [200] * 40
        assert during == [200] * 40, during
        assert [name for name, _ in started_services(output)[len(first) :]] == ["web"]
        deadline = time.monotonic() + 60
        while Webhook.objects.filter(status=Webhook.Status.RECEIVED).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert Webhook.objects.count() == 80
        assert Webhook.objects.filter(status=Webhook.Status.PROCESSED).count() == 80
        assert Trade.objects.filter(source=Trade.Source.WEBHOOK, role="").count() == 80
