"""Identifiants client par origine : un ticket manuel reçoit « manual-… » ; le même identifiant pour une autre
demande est refusé (409, français) au lieu de rendre l'ancien ordre en silence."""

import pytest

from apps.orders.models import Trade

pytestmark = pytest.mark.django_db(transaction=True)


def ticket(broker, **fields):
    return {
        "broker": broker.pk,
        "symbol": "BTC/USDT",
        "side": "buy",
        "order_type": "market",
        "quantity": "0.01",
        **fields,
    }


def test_a_manual_id_is_namespaced_and_cannot_take_a_webhooks_id(alice_api, paper_broker, candle):
    candle("50000")

    response = alice_api.post("/api/trading/orders/", ticket(paper_broker, client_order_id="webhook-7"), format="json")

    assert response.status_code == 201 and response.data["client_order_id"] == "manual-webhook-7"


def test_the_same_id_again_returns_the_same_order(alice_api, paper_broker, candle):
    candle("50000")
    first = alice_api.post("/api/trading/orders/", ticket(paper_broker, client_order_id="mon-ordre"), format="json")

    again = alice_api.post("/api/trading/orders/", ticket(paper_broker, client_order_id="mon-ordre"), format="json")

    assert again.status_code == 201 and again.data["id"] == first.data["id"]
    assert Trade.objects.count() == 1


def test_the_same_id_for_another_request_is_a_409(alice_api, paper_broker, candle):
    candle("50000")
    first = alice_api.post("/api/trading/orders/", ticket(paper_broker, client_order_id="mon-ordre"), format="json")

    other = alice_api.post(
        "/api/trading/orders/", ticket(paper_broker, client_order_id="mon-ordre", quantity="0.02"), format="json"
    )

    assert other.status_code == 409
    assert other.json() == {
        "detail": f"L'identifiant d'ordre « manual-mon-ordre » a déjà servi pour un autre ordre "
        f"(buy BTC/USDT, n° {first.data['id']}) : choisissez-en un autre."
    }
    assert Trade.objects.count() == 1


def test_a_market_ticket_with_a_price_is_refused(alice_api, paper_broker, candle):
    candle("50000")

    response = alice_api.post("/api/trading/orders/", ticket(paper_broker, price="49000"), format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Un prix n'a de sens que pour un ordre limite : retirez-le ou passez un ordre limite."
    )


def test_a_huge_number_is_refused_at_once(alice_api, paper_broker, candle):
    candle("50000")

    response = alice_api.post("/api/trading/orders/", ticket(paper_broker, quantity="1e999999999"), format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == "La quantité est hors limites : « 1e999999999 »."
