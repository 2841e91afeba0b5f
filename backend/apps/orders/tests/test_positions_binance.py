"""Positions protégées sur la vraie classe CCXT `binance` contre le faux Binance local."""

from decimal import Decimal

import pytest

from apps.orders.models import Position, Trade
from apps.orders.reconciler import reconcile

pytestmark = pytest.mark.django_db(transaction=True)

BASE_FEE = [(Decimal(1), Decimal("0.00001"), "BTC")]


def posted(fake, path):
    return [params for method, seen, params in fake.requests if (method, seen) == ("POST", path)]


def test_buy_with_sl_and_tp_places_one_oco_for_the_held_quantity(binance_broker, fake_binance, order):
    fake_binance.fill_parts = BASE_FEE

    trade = order(
        binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000.123"), take_profit=Decimal("56000.456")
    )

    position = Position.objects.get()
    assert trade.position_id == position.pk and position.status == Position.Status.OPEN
    assert position.quantity == Decimal("0.00999") and position.entry_price == Decimal("50000")
    assert position.protection == Position.Protection.OCO
    [oco] = posted(fake_binance, "/api/v3/orderList/oco")
    assert (oco["side"], oco["quantity"]) == ("SELL", "0.00999")
    # Pas de 0,01, côté sûr : objectif vers le haut, stop et sa limite (45000.12 × 0,995 = 44775.1194) vers le bas.
    assert (oco["abovePrice"], oco["belowStopPrice"], oco["belowPrice"]) == ("56000.46", "45000.12", "44775.11")
    assert fake_binance.count("/api/v3/orderList/oco") == 1


def test_the_stop_filled_on_the_exchange_closes_the_position_at_the_next_step(binance_broker, fake_binance, order):
    fake_binance.fill_parts = BASE_FEE
    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    fake_binance.fill_parts = None
    [stop] = fake_binance.orders_of_type("STOP_LOSS_LIMIT")
    [limit] = fake_binance.orders_of_type("LIMIT_MAKER")

    fake_binance.fill_leg(stop["orderId"], Decimal("44900"))
    reconcile()

    position = Position.objects.get()
    assert position.status == Position.Status.CLOSED and position.exit_reason == "stop_loss"
    assert position.exit_price == Decimal("44900")
    exit_fee = Decimal("0.00999") * Decimal("44900") * Decimal("0.001")
    assert position.realized_pnl == Decimal("0.00999") * Decimal("44900") - exit_fee - Decimal("500")
    assert fake_binance.orders[limit["orderId"]]["status"] == "EXPIRED"
    legs = {t.role: t.status for t in Trade.objects.exclude(role="")}
    assert legs == {"stop_loss": Trade.Status.FILLED, "take_profit": Trade.Status.CANCELLED}


def test_oco_refused_falls_back_to_one_stop_order_and_a_watched_target(binance_broker, fake_binance, order):
    """Comme sur Binance, un stop posé bloque la quantité : un take-profit séparé serait refusé (-2010), il est
    donc surveillé par Aristobot, qui annule le stop avant de vendre au franchissement de l'objectif."""
    fake_binance.refuse_oco = True

    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))

    position = Position.objects.get()
    assert position.protection == Position.Protection.ORDERS
    assert position.protection_note.startswith("Take-profit surveillé par Aristobot : OCO refusé (")
    assert "take-profit non posé (quantité déjà bloquée par l'ordre stop-loss)" in position.protection_note
    sent = {p["type"]: p for p in posted(fake_binance, "/api/v3/order") if p["side"] == "SELL"}
    assert set(sent) == {"STOP_LOSS_LIMIT"}
    assert (sent["STOP_LOSS_LIMIT"]["stopPrice"], sent["STOP_LOSS_LIMIT"]["price"]) == ("45000", "44775")
    [stop] = fake_binance.orders_of_type("STOP_LOSS_LIMIT")

    fake_binance.prices["BTCUSDT"] = Decimal("56000")
    reconcile()
    reconcile()

    position.refresh_from_db()
    assert (position.status, position.exit_reason, position.exit_price) == ("closed", "take_profit", Decimal("56000"))
    assert fake_binance.orders[stop["orderId"]]["status"] == "CANCELED"
    assert position.realized_pnl == Decimal("560") - Decimal("0.56") - Decimal("500.5")


def test_the_entry_answer_lost_is_found_by_client_id_and_protected_once(binance_broker, fake_binance, order):
    fake_binance.lose_next_answer = (500, -1006, "An unexpected response was received from the message bus.")

    trade = order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    assert trade.status == Trade.Status.PENDING and fake_binance.count("/api/v3/orderList/oco") == 0

    reconcile()
    reconcile()

    trade.refresh_from_db()
    position = Position.objects.get()
    assert trade.status == Trade.Status.FILLED and trade.position_id == position.pk
    assert position.protection == Position.Protection.OCO and position.quantity == Decimal("0.01")
    assert fake_binance.count("/api/v3/orderList/oco") == 1


def test_a_restart_between_the_fill_and_the_protection_protects_once(binance_broker, fake_binance, order, monkeypatch):
    from apps.orders import positions

    monkeypatch.setattr(positions, "follow", lambda trade: None)  # le processus s'arrête après l'exécution
    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    monkeypatch.undo()
    assert not Position.objects.exists()

    reconcile()  # redémarrage : le moteur reconstruit tout depuis la base et l'exchange
    reconcile()

    position = Position.objects.get()
    assert position.status == Position.Status.OPEN and position.protection == Position.Protection.OCO
    assert fake_binance.count("/api/v3/orderList/oco") == 1


def test_a_position_whose_protection_was_never_placed_is_protected_at_the_next_step(
    binance_broker, fake_binance, order, monkeypatch
):
    from apps.orders import protection

    monkeypatch.setattr(protection, "ensure", lambda position: False)
    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    monkeypatch.undo()
    assert Position.objects.get().protection == Position.Protection.NONE

    reconcile()
    reconcile()

    assert Position.objects.get().protection == Position.Protection.OCO
    assert fake_binance.count("/api/v3/orderList/oco") == 1


def test_a_base_sold_outside_closes_the_position_as_external(binance_broker, fake_binance, order):
    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"))
    fake_binance.balances["BTC"] = [Decimal("0"), Decimal("0")]

    reconcile()

    position = Position.objects.get()
    assert (position.status, position.exit_reason) == ("closed", "external")
    assert position.protection_note.startswith("Base BTC absente du compte Binance principal")
    assert position.protection_note.endswith("vendue hors d'Aristobot.")


def test_a_protective_order_cancelled_outside_puts_the_position_under_watch(binance_broker, fake_binance, order):
    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    [stop] = fake_binance.orders_of_type("STOP_LOSS_LIMIT")

    fake_binance.cancel_outside(stop["orderId"])
    reconcile()
    reconcile()

    position = Position.objects.get()
    assert (position.status, position.protection) == ("open", "watched")
    assert "annulé hors d'Aristobot" in position.protection_note
    assert position.protection_note.endswith("position surveillée par Aristobot.")
    assert fake_binance.count("/api/v3/orderList/oco") == 1


def test_adding_to_the_position_reprotects_the_whole_quantity(binance_broker, fake_binance, order):
    fake_binance.balances["USDT"] = [Decimal("10000"), Decimal("0")]
    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    fake_binance.prices["BTCUSDT"] = Decimal("52000")

    order(binance_broker, quantity=Decimal("0.01"))

    position = Position.objects.get()
    assert position.quantity == Decimal("0.02") and position.entry_price == Decimal("51000")
    first, second = posted(fake_binance, "/api/v3/orderList/oco")
    assert (first["quantity"], second["quantity"]) == ("0.01", "0.02")
    live = [o for o in fake_binance.orders.values() if o["status"] == "NEW"]
    assert sorted(o["type"] for o in live) == ["LIMIT_MAKER", "STOP_LOSS_LIMIT"]


def test_a_partial_sell_realizes_its_share_and_protects_the_rest(binance_broker, fake_binance, order):
    fake_binance.balances["USDT"] = [Decimal("10000"), Decimal("0")]
    order(binance_broker, quantity=Decimal("0.02"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    fake_binance.prices["BTCUSDT"] = Decimal("51000")

    sell = order(binance_broker, side="sell", quantity=Decimal("0.01"))

    position = Position.objects.get()
    assert sell.position_id == position.pk and sell.status == Trade.Status.FILLED
    assert position.status == Position.Status.OPEN and position.quantity == Decimal("0.01")
    assert position.realized_pnl == Decimal("510") - Decimal("0.51") - Decimal("500.5")
    assert posted(fake_binance, "/api/v3/orderList/oco")[-1]["quantity"] == "0.01"


def test_a_limit_entry_filled_later_is_found_by_the_reconciler_and_protected(binance_broker, fake_binance, order):
    trade = order(
        binance_broker,
        order_type="limit",
        price=Decimal("49000"),
        quantity=Decimal("0.01"),
        stop_loss=Decimal("45000"),
        take_profit=Decimal("56000"),
    )
    opening = Position.objects.get()
    assert (opening.status, opening.protection, trade.position_id) == ("opening", "none", opening.pk)

    fake_binance.cross("BTCUSDT", Decimal("48900"))
    reconcile()

    position = Position.objects.get()
    assert (position.status, position.entry_price, position.protection) == ("open", Decimal("49000"), "oco")
    assert fake_binance.count("/api/v3/orderList/oco") == 1


def test_a_limit_entry_cancelled_before_any_fill_ends_the_position_failed(binance_broker, fake_binance, order):
    from apps.orders.services import cancel_order

    trade = order(binance_broker, order_type="limit", price=Decimal("49000"), quantity=Decimal("0.01"))

    cancel_order(user=trade.user, trade_id=trade.pk)

    position = Position.objects.get()
    assert position.status == Position.Status.FAILED and position.closed_at is not None
    assert fake_binance.count("/api/v3/orderList/oco") == 0


def test_selling_more_than_the_position_counts_only_its_share_in_the_pnl(binance_broker, fake_binance, order):
    order(binance_broker, quantity=Decimal("0.01"))  # le compte détient déjà 0,5 BTC achetés ailleurs

    order(binance_broker, side="sell", quantity=Decimal("0.02"))

    position = Position.objects.get()
    assert (position.status, position.quantity, position.exit_price) == ("closed", Decimal(0), Decimal("50000"))
    assert position.realized_pnl == (Decimal("1000") - Decimal("1")) / 2 - Decimal("500.5")


def test_an_oco_whose_answer_was_lost_is_found_by_its_client_ids_never_placed_twice(
    binance_broker, fake_binance, order
):
    fake_binance.lose_next_oco_answer = (500, -1006, "An unexpected response was received from the message bus.")

    order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    assert set(Trade.objects.exclude(role="").values_list("status", flat=True)) == {Trade.Status.PENDING}

    reconcile()
    reconcile()

    legs = Trade.objects.exclude(role="")
    assert set(legs.values_list("status", flat=True)) == {Trade.Status.OPEN}
    assert all(leg.exchange_order_id for leg in legs)
    assert fake_binance.count("/api/v3/orderList/oco") == 1
    assert Position.objects.get().protection == Position.Protection.OCO


def test_the_database_refuses_a_second_live_position_on_the_same_pair(binance_broker, fake_binance, order):
    from django.db import IntegrityError, transaction

    order(binance_broker, quantity=Decimal("0.01"))
    first = Position.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(user=first.user, broker=first.broker, symbol=first.symbol, source="manual")
