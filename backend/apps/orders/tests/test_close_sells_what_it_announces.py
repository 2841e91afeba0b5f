"""« Clôturer » vend toute la quantité qu'il annonce ; ce qui ne peut être vendu (sous le pas de quantité du
marché) est un reliquat, montré comme tel, jamais comme une position ouverte (issue 25, point 11)."""

from decimal import Decimal

import pytest

from apps.orders.models import Position, Trade

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_announces_the_sellable_quantity_and_the_remainder_then_close_sells_exactly_it(
    alice_api, paper_broker, candle, order
):
    candle("50000")
    order(paper_broker, quantity=Decimal("0.0039"))  # frais en BTC : 0,0038961 détenus, pas de 0,00001

    [item] = alice_api.get("/api/positions/", {"status": "open"}).data["results"]
    assert (item["quantity"], item["sellable_quantity"], item["remainder"]) == ("0.0038961", "0.00389", "0.0000061")

    response = alice_api.post(f"/api/positions/{item['id']}/close/")

    assert response.status_code == 200 and response.data["status"] == "closed"
    sale = Trade.objects.get(side=Trade.Side.SELL)
    assert sale.quantity == sale.filled_quantity == Decimal(item["sellable_quantity"])
    assert (response.data["remainder"], response.data["sellable_quantity"]) == ("0.0000061", "0")
    assert alice_api.get("/api/positions/", {"status": "open"}).data["count"] == 0
    assert Position.objects.get().remainder == Decimal("0.0000061")


def test_sellable_and_remainder_add_up_to_the_held_quantity_and_the_remainder_is_under_the_step(
    alice_api, paper_broker, candle, order
):
    candle("50000")
    order(paper_broker, quantity=Decimal("0.01001"))  # 0,01001 − 0,00001001 de frais en BTC
    order(paper_broker, quantity=Decimal("0.00001"))  # une position augmentée

    [item] = alice_api.get("/api/positions/", {"status": "open"}).data["results"]
    held = Decimal(item["quantity"])
    assert Decimal(item["sellable_quantity"]) + Decimal(item["remainder"]) == held
    assert Decimal(item["remainder"]) < Decimal("0.00001")  # toujours sous le pas


def test_a_sale_leaving_less_than_the_minimum_amount_closes_the_position_with_that_rest_as_remainder(
    alice_api, paper_broker, candle, order
):
    candle("50000")
    order(paper_broker, quantity=Decimal("0.0039"))  # 0,0038961 détenus
    sale = order(paper_broker, side="sell", quantity=Decimal("0.00384"))  # reste 0,0000561 : ≈ 2,8 USDT < 5

    assert sale.filled_quantity == Decimal("0.00384")
    position = Position.objects.get()
    assert position.status == Position.Status.CLOSED
    assert position.remainder == Decimal("0.0000561")
    [item] = alice_api.get("/api/positions/", {"status": "closed"}).data["results"]
    assert (item["remainder"], item["sellable_quantity"]) == ("0.0000561", "0")
    assert alice_api.get("/api/positions/", {"status": "open"}).data["count"] == 0
