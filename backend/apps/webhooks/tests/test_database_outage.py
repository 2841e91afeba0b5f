"""PostgreSQL injoignable 10 s pendant des livraisons : chacune répondue 200 « reçu » (gardée dans le journal sur
disque), toutes enregistrées dans l'ordre d'arrivée au retour de la base, un ordre chacune ; l'API répond 503 avec
Retry-After pendant la panne, jamais 500 ; ni Daphne ni le worker ne sont redémarrés."""

import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest
from django.test import Client

from apps.brokers.models import PaperOrder
from apps.webhooks.models import Webhook
from testing.database import database_url
from testing.tcp_relay import TcpRelay

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def relay():
    parsed = urlparse(database_url())
    relay = TcpRelay(parsed.hostname, parsed.port or 5432)
    relay.start()
    yield relay
    relay.stop()


@pytest.fixture
def db_url(db_url, relay_port):
    """Daphne et le worker joignent la base par le relais ; le test, lui, directement."""
    parsed = urlparse(db_url)
    return parsed._replace(netloc=f"{parsed.username}@127.0.0.1:{relay_port}").geturl()


@pytest.fixture
def relay_port(relay):
    return relay.port


@pytest.fixture
def buffer_dir(tmp_path, monkeypatch):
    path = tmp_path / "journal"
    monkeypatch.setenv("WEBHOOK_BUFFER_DIR", str(path))
    return path


def _post(url: str, body: bytes | None = None, timeout: float = 3, cookie: str = "") -> tuple[int, dict, dict]:
    headers = {"Content-Type": "application/json", "Cookie": cookie}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), dict(error.headers)


def test_deliveries_during_a_database_outage_are_kept_and_stored_in_order(
    alice, alice_token, paper_for, relay, buffer_dir, web_process, worker_process, wait_until
):
    paper_for(alice)
    session = Client()
    session.force_login(alice)
    cookie = f"sessionid={session.cookies['sessionid'].value}"
    signal = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.001"}
    codes = []
    with web_process() as web, worker_process():
        url = f"{web}/api/webhooks/tradingview/{alice_token}/"
        for number in range(2):
            codes.append(_post(url, json.dumps({**signal, "id": f"s{number}"}).encode())[0])

        wait_until(lambda: Webhook.objects.filter(status="processed").count() == 2, 60)  # worker en marche
        relay.cut()
        outage_end = time.monotonic() + 10
        number, api_answers = 2, []
        while time.monotonic() < outage_end:
            code, answer, _ = _post(url, json.dumps({**signal, "id": f"s{number}"}).encode())
            codes.append(code)
            assert answer.get("status") == "received", answer
            number += 1
            api_answers.append(_post(f"{web}/api/webhooks/", cookie=cookie))
            time.sleep(0.5)
        assert any(buffer_dir.iterdir())  # le journal sur disque
        relay.restore()

        total = number + 2
        for later in range(number, total):  # après le retour : derrière le journal
            codes.append(_post(url, json.dumps({**signal, "id": f"s{later}"}).encode())[0])
        wait_until(lambda: Webhook.objects.filter(status="processed").count() == total, 120)

    assert codes == [200] * total
    assert [code for code, _, _ in api_answers] and {code for code, _, _ in api_answers} == {503}
    _, answer, headers = api_answers[0]
    assert answer == {"detail": "Base de données indisponible : réessayez dans quelques secondes."}
    assert headers["Retry-After"] == "5"
    stored = list(Webhook.objects.order_by("received_at", "pk").values_list("signal_id", flat=True))
    assert stored == [f"s{n}" for n in range(total)]
    assert sorted(Webhook.objects.values_list("pk", flat=True)) == list(
        Webhook.objects.order_by("received_at").values_list("pk", flat=True)
    )
    assert PaperOrder.objects.count() == total
    assert not any(buffer_dir.glob("*"))
