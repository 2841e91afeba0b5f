"""GET /api/trading/orders/ : l'historique de l'utilisateur, tentatives échouées comprises, filtré et paginé."""

from decimal import Decimal

import pytest

from apps.orders.models import Trade

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(alice, bob, paper_broker, bobs_broker):
    def make(user, broker, **fields):
        values = {
            "source": "manual",
            "symbol": "BTC/USDT",
            "side": "buy",
            "type": "market",
            "quantity": Decimal("0.01"),
            "status": "filled",
            **fields,
        }
        return Trade.objects.create(user=user, broker=broker, **values)

    return [
        make(alice, paper_broker),
        make(alice, paper_broker, symbol="ETH/USDT", status="failed", error="Fonds insuffisants sur Paper : …"),
        make(alice, paper_broker, source="webhook", status="rejected"),
        make(bob, bobs_broker),
    ]


def ids(response):
    return [row["id"] for row in response.data["results"]]


def test_history_lists_only_mine_newest_first_with_failures(alice_api, history):
    response = alice_api.get("/api/trading/orders/")

    assert response.data["count"] == 3
    assert ids(response) == [history[2].pk, history[1].pk, history[0].pk]
    assert response.data["results"][1]["error"] == "Fonds insuffisants sur Paper : …"


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"symbol": "eth/usdt"}, [1]),
        ({"source": "webhook"}, [2]),
        ({"status": "filled"}, [0]),
        ({"status": "filled", "symbol": "ETH/USDT"}, []),
    ],
)
def test_history_filters(alice_api, history, query, expected):
    assert ids(alice_api.get("/api/trading/orders/", query)) == [history[i].pk for i in expected]


def test_history_filtered_by_broker(alice_api, history, paper_broker, bobs_broker):
    assert alice_api.get("/api/trading/orders/", {"broker": paper_broker.pk}).data["count"] == 3
    assert alice_api.get("/api/trading/orders/", {"broker": bobs_broker.pk}).data["count"] == 0


def test_history_pages(alice_api, history):
    first = alice_api.get("/api/trading/orders/", {"page_size": 2})
    second = alice_api.get("/api/trading/orders/", {"page_size": 2, "page": 2})

    assert (len(first.data["results"]), len(second.data["results"])) == (2, 1)
    assert first.data["next"] and second.data["previous"]


def test_a_non_numeric_broker_filter_is_400(alice_api, history):
    assert alice_api.get("/api/trading/orders/", {"broker": "abc"}).status_code == 400
