"""Ordres ouverts d'un broker et annulation (POST /api/trading/orders/<id>/cancel/)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def place_limit(client, broker):
    return client.post(
        "/api/trading/orders/",
        {
            "broker": broker.pk,
            "symbol": "BTC/USDT",
            "side": "buy",
            "order_type": "limit",
            "quantity": "0.01",
            "price": "45000",
        },
        format="json",
    ).data


def test_a_resting_limit_is_listed_then_cancelled(alice_api, paper_broker, candle):
    candle("50000")
    placed = place_limit(alice_api, paper_broker)

    listed = alice_api.get(f"/api/trading/brokers/{paper_broker.pk}/open-orders/")
    cancelled = alice_api.post(f"/api/trading/orders/{placed['id']}/cancel/")
    after = alice_api.get(f"/api/trading/brokers/{paper_broker.pk}/open-orders/")

    assert [o["id"] for o in listed.data] == [placed["id"]]
    assert (cancelled.status_code, cancelled.data["status"]) == (200, "cancelled")
    assert after.data == []


def test_cancelling_twice_is_400_with_the_reason(alice_api, paper_broker, candle):
    candle("50000")
    placed = place_limit(alice_api, paper_broker)
    alice_api.post(f"/api/trading/orders/{placed['id']}/cancel/")

    again = alice_api.post(f"/api/trading/orders/{placed['id']}/cancel/")

    assert again.status_code == 400
    assert again.data["detail"] == "Cet ordre n'est pas ouvert (statut : annulé) : rien à annuler."


def test_refresh_answers_the_order_as_the_exchange_sees_it(alice_api, paper_broker, candle):
    candle("50000")
    placed = place_limit(alice_api, paper_broker)
    candle("44000", minutes_from_now=1)

    response = alice_api.post(f"/api/trading/orders/{placed['id']}/refresh/")

    assert (response.data["status"], response.data["average_price"]) == ("filled", "45000")
