"""Charge : 200 livraisons en moins de 10 s de 5 utilisateurs, contre un vrai serveur HTTP et le vrai worker."""
import json
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from rest_framework.test import APIClient

from apps.brokers.models import PaperOrder
from apps.core.models import Trade
from apps.webhooks.models import Webhook
from apps.webhooks.services.tokens import token_for

pytestmark = pytest.mark.django_db(transaction=True)
PER_USER = 40


def post(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "text/plain"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_200_deliveries_from_5_users(live_server, make_user, paper_for, running_worker, wait_until):
    users = [make_user(f"trader{n}") for n in range(5)]
    for user in users:
        paper_for(user)
    deliveries = []
    for user in users:
        url = f"{live_server.url}/api/webhooks/tradingview/{token_for(user).token}/"
        for i in range(PER_USER):
            signal = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.001", "id": f"{user.username}-{i}"}
            body = b"{pas du json" if i % 10 == 9 else json.dumps(signal).encode()
            deliveries.append((url, body))

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(lambda delivery: post(*delivery), deliveries))
    elapsed = time.monotonic() - started

    assert elapsed < 10
    assert Counter(codes) == {200: 180, 400: 20}
    assert Webhook.objects.count() == 200
    wait_until(lambda: not Webhook.objects.filter(status="received").exists(), 60)
    assert Counter(Webhook.objects.values_list("status", flat=True)) == {"processed": 180, "invalid": 20}
    assert Trade.objects.count() == PaperOrder.objects.count() == 180
    linked = Webhook.objects.filter(status="processed").values_list("trade_id", flat=True)
    assert len(set(linked)) == 180
    for user in users:
        client = APIClient()
        client.force_authenticate(user)
        page = client.get("/api/webhooks/?page_size=50").json()
        assert page["count"] == PER_USER
        assert {row["owner"] for row in page["results"]} == {user.username}
