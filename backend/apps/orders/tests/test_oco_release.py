"""Clôturer une position protégée par un OCO : une seule annulation envoyée (l'exchange retire la sœur avec elle),
la sœur relue, puis la vente ; par la vraie classe CCXT `binance` contre le faux Binance."""

from decimal import Decimal

import pytest

from apps.orders.models import Position, Trade
from apps.orders.services import close_owned_position

pytestmark = pytest.mark.django_db(transaction=True)


def requests(fake, method, path):
    return [params for seen_method, seen, params in fake.requests if (seen_method, seen) == (method, path)]


def test_closing_an_oco_position_sends_one_cancel_and_reads_the_sibling(alice, binance_broker, fake_binance, order):
    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    position = Position.objects.get()
    assert position.protection == Position.Protection.OCO
    before = len(fake_binance.requests)

    closed = close_owned_position(user=alice, position_id=position.pk)

    after = fake_binance.requests[before:]
    assert [m for m, path, _ in after if path == "/api/v3/order"].count("DELETE") == 1
    assert [m for m, path, _ in after if path == "/api/v3/order"].count("GET") == 1  # la sœur, relue
    legs = Trade.objects.filter(position=position).exclude(role="").values_list("status", flat=True)
    assert sorted(legs) == ["cancelled", "cancelled"]
    assert (closed.status, closed.exit_reason) == ("closed", "manual")
    [sell] = [
        p for p in requests(fake_binance, "POST", "/api/v3/order") if p["type"] == "MARKET" and p["side"] == "SELL"
    ]
    assert sell["quantity"] == "0.01"
