"""Le jeton webhook n'atteint aucune ligne de journal : ni `django.request`, ni le journal d'accès de Daphne."""

import logging
import os
import sys
import urllib.error
import urllib.request

import pytest
from django.test import Client
from e2e.servers import BACKEND, Process, free_port

MASKED = "/api/webhooks/tradingview/****/"


def _call(url: str, body: bytes | None = None) -> int:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST" if body is not None else "GET"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db
def test_django_request_log_masks_the_token(alice_token, console_log):
    client = Client()  # la pile Django seule : ce qui n'est pas l'URL exacte du consumer y arrive et s'y journalise
    url = f"/api/webhooks/tradingview/{alice_token}"
    assert client.post(url, "pas du json", content_type="text/plain").status_code == 404
    assert client.post(f"{url}x/", "{}", content_type="application/json").status_code == 404
    logging.getLogger("aristobot.webhooks").warning("Livraison sur /api/webhooks/tradingview/%s/ ?", alice_token)
    text = console_log.getvalue()
    assert text.count(MASKED.rstrip("/")) == 3
    assert alice_token not in text


@pytest.mark.parametrize(
    "path",
    [
        "/api/webhooks//tradingview/{token}/",
        "/api/webhooks/tradingview//{token}",
        "//api//webhooks///tradingview/x/{token}/y",
        "/API/Webhooks/{token}",
    ],
)
@pytest.mark.django_db
def test_a_malformed_path_masks_the_token_too(alice_token, console_log, path):
    assert Client().post(path.format(token=alice_token), "{}", content_type="application/json").status_code == 404
    text = console_log.getvalue()
    assert "****" in text and alice_token not in text and alice_token[:20] not in text


@pytest.mark.django_db(transaction=True)
def test_daphne_access_log_masks_the_token(alice_token, db_url, tmp_path):
    port = free_port()
    server = Process(
        "daphne",
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "aristobot.asgi:application"],
        BACKEND,
        dict(os.environ, DATABASE_URL=db_url),
        port,
        tmp_path,
    )
    server.start()
    try:
        base = f"http://127.0.0.1:{port}/api/webhooks/tradingview"
        assert _call(f"{base}/{alice_token}/", b'{"action": "buy"}') == 400
        assert _call(f"{base}/{alice_token}/?x=1", b"{}") == 400
        assert _call(f"{base}/{alice_token[:-1]}/", b"{}") == 404
        assert _call(f"{base}/{alice_token}/") == 405
        assert _call(base.replace("/tradingview", "//tradingview") + f"/{alice_token}/", b"{}") == 404
    finally:
        server.stop()
    log = server.log_path.read_text()
    assert log.count(f'"POST {MASKED}') == 3 and log.count(f'"GET {MASKED}') == 1, log
    assert log.count('"POST /api/webhooks//tradingview/****/') == 1, log
    assert alice_token not in log and alice_token[:-1] not in log
