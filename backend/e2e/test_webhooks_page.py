"""Bout en bout, page Webhooks : un signal posté page ouverte apparaît en direct avec son ordre ; brut à la demande."""

import json
import re
import urllib.error
import urllib.request

from playwright.sync_api import expect

# Broker paper de dev (désigné par son nom dans le signal) et un prix BTC/USDT de 50 000.
SETUP = """
from datetime import timedelta
from django.utils import timezone
from apps.accounts.models import User
from apps.brokers.models import Broker
from apps.market_data.models import Candle
dev = User.objects.get(username="dev")
Broker.objects.get_or_create(user=dev, name="Paper webhooks", exchange="paper")
start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
Candle.objects.update_or_create(exchange="binance", symbol="BTC/USDT", timeframe="1m", open_time=start, defaults=dict(
    close_time=start + timedelta(seconds=59.999), open=50000, high=50000, low=50000, close=50000, volume=1))
"""


def post(url: str, body: bytes, content_type: str) -> int:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_signal_posted_with_the_page_open_appears_live_with_its_order(dev_app, page):
    dev_app.manage("shell", "-c", SETUP)
    dev_app.run("webhook-worker", "run_webhook_worker")
    with page.expect_response(lambda response: "/api/webhooks/?page=1" in response.url):
        page.goto(dev_app.url + "/webhooks")  # liste chargée : ce qui arrive ensuite vient du WebSocket
    expect(page.get_by_test_id("ws-state")).to_have_text("connecté")
    url_field = page.get_by_test_id("webhook-url")
    expect(url_field).to_have_value(re.compile("^" + re.escape(dev_app.url + "/api/webhooks/tradingview/") + ".+/$"))
    url = url_field.input_value()
    rows = page.get_by_test_id("webhook-row")  # base e2e neuve : aucun webhook avant ce test

    signal = {"action": "buy", "symbol": "BINANCE:BTCUSDT", "quantity": "0.01", "broker": "Paper webhooks"}
    assert post(url, json.dumps(signal).encode(), "application/json") == 200

    expect(rows).to_have_count(1)
    newest = rows.first
    expect(newest.get_by_test_id("webhook-status")).to_have_text("traité")
    expect(newest.get_by_test_id("webhook-result")).to_have_text("Achat 0.01 BTC/USDT à 50000 — exécuté")
    expect(newest).to_contain_text("BTCUSDT")

    assert post(url, b"acheter du BTC", "text/plain") == 400
    expect(rows).to_have_count(2)
    expect(rows.first.get_by_test_id("webhook-status")).to_have_text("invalide")
    rows.first.get_by_test_id("webhook-raw-toggle").click()
    expect(page.get_by_test_id("webhook-raw-body")).to_have_text("acheter du BTC")

    page.reload()
    expect(rows.nth(1).get_by_test_id("webhook-status")).to_have_text("traité")
