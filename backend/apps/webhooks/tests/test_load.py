"""Charge : 200 livraisons de 5 utilisateurs en même temps, contre un vrai Daphne et le vrai worker ; toutes reçues,
traitées une fois. Le temps de réponse d'une rafale se mesure par le banc `bench/webhook_bench.py`."""

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from rest_framework.test import APIClient

from apps.brokers.models import PaperOrder
from apps.orders.models import Trade
from apps.webhooks.models import Webhook
from apps.webhooks.services.tokens import token_for

pytestmark = pytest.mark.django_db(transaction=True)
PER_USER = 40


def test_200_deliveries_from_5_users(web_process, http_post, make_user, paper_for, running_worker, wait_until):
    users = [make_user(f"trader{n}") for n in range(5)]
    for user in users:
        paper_for(user)
    tokens = {user: token_for(user).token for user in users}

    with web_process() as web:
        deliveries = []
        for user in users:
            for i in range(PER_USER):
                signal = {"action": "buy", "symbol": "BTCUSDT", "quantity": "0.001", "id": f"{user.username}-{i}"}
                body = b"{pas du json" if i % 10 == 9 else json.dumps(signal).encode()
                deliveries.append((f"{web}/api/webhooks/tradingview/{tokens[user]}/", body, "text/plain"))
        with ThreadPoolExecutor(max_workers=20) as pool:
            codes = list(pool.map(lambda delivery: http_post(*delivery), deliveries))

    assert Counter(codes) == {200: 180, 400: 20}
    assert Webhook.objects.count() == 200
    # le temps de traitement est mesuré par bench/webhook_bench.py ; ici, tout finit traité
    wait_until(lambda: not Webhook.objects.filter(status="received").exists(), 300)
    assert Counter(Webhook.objects.values_list("status", flat=True)) == {"processed": 180, "invalid": 20}
    assert Trade.objects.count() == PaperOrder.objects.count() == 180
    processed = Webhook.objects.filter(status="processed").select_related("trade")
    assert all(webhook.trade.client_order_id == f"webhook-{webhook.pk}" for webhook in processed)
    for user in users:
        client = APIClient()
        client.force_authenticate(user)
        page = client.get("/api/webhooks/").json()
        assert page["count"] == PER_USER
        assert {row["owner"] for row in page["results"]} == {user.username}
