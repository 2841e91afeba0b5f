"""Les livres d'une base ne détiennent jamais plus que le compte (libre + bloqué) : base vendue sur l'exchange hors
d'Aristobot, le réconciliateur réduit les positions dans l'ordre dit (manuel, webhooks, activations ; la plus
récente d'abord), écrit pourquoi, et reprotège ce qui reste pour sa seule quantité."""

from decimal import Decimal

import pytest

from apps.orders import books
from apps.orders.models import Position, Trade
from apps.orders.reconciler import reconcile

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_reconciler_shrinks_the_manual_book_first_then_the_activation(
    alice, binance_broker, fake_binance, order, place
):
    fake_binance.balances["USDT"] = [Decimal(10**6), Decimal(0)]
    order(binance_broker, quantity=Decimal("0.01"))
    place(
        alice,
        binance_broker,
        quantity=Decimal("0.02"),
        stop_loss=Decimal("45000"),
        source="strategy",
        active_strategy_id=7,
    )
    manual, bot = Position.objects.get(book=books.MANUAL), Position.objects.get(book=books.activation(7))
    assert (manual.quantity, bot.quantity) == (Decimal("0.01"), Decimal("0.02"))

    fake_binance.balances["BTC"] = [Decimal("0.025"), Decimal(0)]  # avoir (bloqué compris) : 0,005 BTC vendus à la main
    reconcile()

    manual.refresh_from_db()
    bot.refresh_from_db()
    assert (manual.status, manual.quantity, bot.quantity) == ("open", Decimal("0.005"), Decimal("0.02"))
    assert manual.external_quantity == Decimal("0.005")
    assert manual.external_note.startswith("Base BTC absente du compte Binance principal (0.03 détenus, 0.025 trouvés)")
    assert "0.005 BTC retirés de cette position (ordre : manuel, webhooks, activations" in manual.external_note
    assert bot.external_note == ""

    fake_binance.balances["BTC"] = [Decimal("0.015"), Decimal(0)]  # encore 0,01 BTC partis
    reconcile()

    manual.refresh_from_db()
    bot.refresh_from_db()
    assert (manual.status, manual.exit_reason) == ("closed", "external")
    assert (bot.status, bot.quantity, bot.external_quantity) == ("open", Decimal("0.015"), Decimal("0.005"))
    stop = Trade.objects.get(position=bot, role="stop_loss", status="open")
    assert stop.quantity == Decimal("0.015")  # reprotégée pour ce qui reste, rien d'autre
