"""POST /api/trading/orders/ : ordre manuel par quantité ou par montant ; 201, 400 (refusé) ou 502 (exchange)."""

import pytest

from apps.orders.models import Trade

pytestmark = pytest.mark.django_db(transaction=True)


def test_market_buy_by_quantity_answers_the_filled_trade(alice_api, paper_broker, candle):
    candle("50000")

    response = alice_api.post(
        "/api/trading/orders/",
        {"broker": paper_broker.pk, "symbol": "BTC/USDT", "side": "buy", "order_type": "market", "quantity": "0.01"},
        format="json",
    )

    assert response.status_code == 201
    body = response.data
    assert (body["status"], body["status_label"], body["filled_quantity"], body["average_price"], body["fee"]) == (
        "filled",
        "exécuté",
        "0.01",
        "50000",
        "0.00001",
    )
    assert Trade.objects.get(pk=body["id"]).source == Trade.Source.MANUAL


def test_limit_sell_by_amount_computes_the_quantity_at_the_limit_price(alice_api, paper_broker, candle):
    candle("50000")
    alice_api.post(
        "/api/trading/orders/",
        {"broker": paper_broker.pk, "symbol": "BTC/USDT", "side": "buy", "quantity": "0.01"},
        format="json",
    )

    response = alice_api.post(
        "/api/trading/orders/",
        {
            "broker": paper_broker.pk,
            "symbol": "BTC/USDT",
            "side": "sell",
            "order_type": "limit",
            "amount": "300",
            "price": "60000",
        },
        format="json",
    )

    assert response.status_code == 201
    assert (response.data["status"], response.data["quantity"], response.data["amount"]) == ("open", "0.005", "300")


def test_a_refused_order_is_400_with_the_reason_and_still_recorded(alice_api, paper_broker, candle):
    candle("50000")

    response = alice_api.post(
        "/api/trading/orders/",
        {"broker": paper_broker.pk, "symbol": "BTC/USDT", "side": "buy", "quantity": "abc"},
        format="json",
    )

    assert response.status_code == 400
    assert response.data["detail"] == "La quantité n'est pas un nombre : « abc »."
    assert response.data["trade"]["status"] == "rejected"
    assert Trade.objects.get().error == response.data["detail"]


def test_an_exchange_refusal_is_502_with_the_french_message(alice_api, paper_broker, candle):
    candle("50000")

    response = alice_api.post(
        "/api/trading/orders/",
        {"broker": paper_broker.pk, "symbol": "BTC/USDT", "side": "sell", "quantity": "1"},
        format="json",
    )

    assert response.status_code == 502
    assert (
        response.data["detail"] == "Fonds insuffisants sur Paper : solde BTC insuffisant : 0 disponible, 1 nécessaire"
    )
    assert response.data["trade"]["status"] == "failed"


def test_broker_is_required(alice_api):
    response = alice_api.post("/api/trading/orders/", {"symbol": "BTC/USDT", "side": "buy"}, format="json")

    assert response.status_code == 400 and "broker" in response.data
    assert not Trade.objects.exists()


def test_same_client_id_posted_twice_gives_the_same_trade(alice_api, paper_broker, candle):
    candle("50000")
    payload = {
        "broker": paper_broker.pk,
        "symbol": "BTC/USDT",
        "side": "buy",
        "quantity": "0.01",
        "client_order_id": "clic-1",
    }

    first = alice_api.post("/api/trading/orders/", payload, format="json")
    second = alice_api.post("/api/trading/orders/", payload, format="json")

    assert first.data["id"] == second.data["id"]
    assert Trade.objects.count() == 1
