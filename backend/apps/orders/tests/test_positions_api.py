"""L'API des positions : liste filtrée et paginée, détail, « Clôturer » ; les positions d'un autre → 404."""

from decimal import Decimal

import pytest

from apps.orders.models import Position

pytestmark = pytest.mark.django_db(transaction=True)


def posted(fake, method, path):
    return [params for seen_method, seen, params in fake.requests if (seen_method, seen) == (method, path)]


@pytest.fixture
def protected(binance_broker, fake_binance, order):
    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    return Position.objects.get()


def test_the_open_position_is_listed_with_its_protection_and_trades(alice_api, protected):
    response = alice_api.get("/api/positions/", {"status": "open"})

    assert response.status_code == 200
    assert (response.data["count"], response.data["next"], response.data["previous"]) == (1, None, None)
    [item] = response.data["results"]
    assert item["id"] == protected.pk and item["status"] == "open" and item["source"] == "manual"
    assert (item["quantity"], item["entry_price"], item["stop_loss"], item["take_profit"]) == (
        "0.01",
        "50000",
        "45000",
        "56000",
    )
    assert (item["protection"], item["protection_label"]) == ("oco", "sur l'exchange (OCO)")
    assert item["exit_reason"] is None and item["realized_pnl"] == "0" and item["fees"] == "0.5"
    assert sorted(t["role"] for t in item["trades"]) == ["", "stop_loss", "take_profit"]
    assert alice_api.get("/api/positions/", {"status": "closed"}).data["count"] == 0


def test_close_cancels_the_protection_then_sells_the_held_quantity(alice_api, protected, fake_binance):
    response = alice_api.post(f"/api/positions/{protected.pk}/close/")

    assert response.status_code == 200
    assert (response.data["status"], response.data["exit_reason"]) == ("closed", "manual")
    assert response.data["exit_reason_label"] == "clôture manuelle"
    cancel_index = next(i for i, r in enumerate(fake_binance.requests) if r[0] == "DELETE")
    sell_index = next(
        i for i, r in enumerate(fake_binance.requests) if r[1] == "/api/v3/order" and r[2].get("side") == "SELL"
    )
    assert cancel_index < sell_index
    sells = [p for p in posted(fake_binance, "POST", "/api/v3/order") if p["side"] == "SELL"]
    assert [(s["type"], s["quantity"]) for s in sells] == [("MARKET", "0.01")]
    assert response.data["realized_pnl"] == "-1"  # 500 vendus, frais 0,5 à l'achat et à la vente
    closed = alice_api.get("/api/positions/", {"status": "closed"}).data
    assert closed["count"] == 1 and closed["results"][0]["realized_pnl_pct"] == "-0.1998002"  # -1 sur 500,5 dépensés


def test_closing_twice_is_refused_in_french(alice_api, protected):
    alice_api.post(f"/api/positions/{protected.pk}/close/")

    response = alice_api.post(f"/api/positions/{protected.pk}/close/")

    assert response.status_code == 400
    assert response.data["detail"] == "Cette position n'est pas ouverte (statut : clôturée)."


def test_another_users_position_is_404_everywhere(bob_api, protected, fake_binance):
    assert bob_api.get(f"/api/positions/{protected.pk}/").status_code == 404
    assert bob_api.post(f"/api/positions/{protected.pk}/close/").status_code == 404
    assert bob_api.get("/api/positions/").data["count"] == 0
    assert Position.objects.get().status == Position.Status.OPEN
    assert not [p for p in posted(fake_binance, "POST", "/api/v3/order") if p["side"] == "SELL"]


def test_bad_filters_are_refused(alice_api, protected):
    assert alice_api.get("/api/positions/", {"status": "ouverte"}).status_code == 400
    assert alice_api.get("/api/positions/", {"broker": "x"}).status_code == 400
    assert alice_api.get("/api/positions/999999/").status_code == 404
    assert alice_api.get("/api/positions/", {"broker": protected.broker_id, "symbol": "btc/usdt"}).data["count"] == 1
    assert alice_api.get("/api/positions/", {"symbol": "ETH/USDT"}).data["count"] == 0


def test_an_anonymous_visitor_is_refused(api, protected, prod_mode):
    assert api.get("/api/positions/").status_code in (401, 403)


def test_every_change_is_pushed_as_a_position_message(binance_broker, fake_binance, order, inbox):
    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"))

    kinds = []
    while (message := inbox("alice")) is not None:
        kinds.append(message["message"]["type"])
        if kinds[-1] == "position":
            last = message["message"]["data"]
    assert "position" in kinds
    assert (last["status"], last["protection"], last["quantity"]) == ("open", "orders", "0.01")
    assert inbox("bob") is None


def test_a_refused_closing_sale_leaves_the_position_open_and_protected_again(alice_api, protected, fake_binance):
    fake_binance.reject_next_order = (-1013, "Filter failure: NOTIONAL")

    response = alice_api.post(f"/api/positions/{protected.pk}/close/")

    assert response.status_code == 400 and response.data["detail"].startswith("Vente refusée : ")
    protected.refresh_from_db()
    assert (protected.status, protected.protection, protected.exit_reason) == ("open", "oco", "")
    assert protected.sync_error.startswith("Vente refusée : ")
    assert fake_binance.count("/api/v3/orderList/oco") == 2
    assert [o["status"] for o in fake_binance.orders.values() if o["type"] == "LIMIT_MAKER"] == ["CANCELED", "NEW"]


def test_marks_give_the_current_price_and_the_unrealized_pnl_in_decimal(alice_api, bob_api, protected, fake_binance):
    fake_binance.prices["BTCUSDT"] = Decimal("50123.45")

    response = alice_api.get("/api/positions/marks/", {"broker": protected.broker_id})

    assert response.status_code == 200
    assert response.data == [
        {
            "id": protected.pk,
            "price": "50123.45",
            "value": "501.2345",
            "unrealized_pnl": "1.2345",  # (50 123,45 − 50 000) × 0,01, exact
            "unrealized_pnl_pct": "0.25",
        }
    ]
    assert alice_api.get("/api/positions/marks/", {"source": "strategy"}).data == []
    assert bob_api.get("/api/positions/marks/").data == []


def test_sold_quantity_sums_the_sells_of_a_closed_position(alice_api, protected):
    assert alice_api.get(f"/api/positions/{protected.pk}/").data["sold_quantity"] == "0.01"  # rien de vendu : détenue
    alice_api.post(f"/api/positions/{protected.pk}/close/")

    assert alice_api.get(f"/api/positions/{protected.pk}/").data["sold_quantity"] == "0.01"
