"""Le broker ou l'ordre de bob : 404 pour alice sur chaque point d'entrée, et rien ne bouge chez bob."""

from decimal import Decimal

import pytest

from apps.orders.models import Trade

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bobs_order(bob, bobs_broker):
    return Trade.objects.create(
        user=bob,
        broker=bobs_broker,
        source="manual",
        symbol="BTC/USDT",
        side="buy",
        type="limit",
        quantity=Decimal("0.01"),
        price=Decimal("45000"),
        status="open",
        exchange_order_id="1",
    )


@pytest.mark.parametrize(
    "method, path, payload",
    [
        ("get", "/api/trading/brokers/{broker}/portfolio/", None),
        ("get", "/api/trading/brokers/{broker}/ticker/?symbol=BTC/USDT", None),
        ("get", "/api/trading/brokers/{broker}/open-orders/", None),
        (
            "post",
            "/api/trading/orders/",
            {"broker": "{broker}", "symbol": "BTC/USDT", "side": "buy", "quantity": "0.01"},
        ),
        ("post", "/api/trading/orders/{order}/cancel/", None),
        ("post", "/api/trading/orders/{order}/refresh/", None),
    ],
)
def test_alice_gets_404_on_bobs_broker_and_orders(alice_api, bobs_broker, bobs_order, method, path, payload):
    ids = {"broker": bobs_broker.pk, "order": bobs_order.pk}
    if payload:
        payload = {**payload, "broker": bobs_broker.pk}
    response = getattr(alice_api, method)(path.format(**ids), payload, format="json")

    assert response.status_code == 404
    assert Trade.objects.count() == 1
    bobs_order.refresh_from_db()
    assert bobs_order.status == "open"


def test_anonymous_is_refused_outside_dev_mode(api, prod_mode, bobs_broker):
    assert api.get("/api/trading/orders/").status_code == 403
