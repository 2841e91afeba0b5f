"""Le solde d'une activation (8 décimales) face à un P&L réalisé à 18 décimales : écrit une fois, arrondi vers le
bas, pas réécrit ni republié à chaque vague."""

from decimal import Decimal

import pytest

from apps.orders import books
from apps.orders.models import Position
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.services import activations, holdings
from apps.trading_engine.services.activations import refresh_balance

pytestmark = pytest.mark.django_db


def test_a_long_realized_pnl_is_written_once_floored_to_the_balance_step(
    alice, strategy, paper_broker, activate, monkeypatch
):
    activation = activate(alice, strategy, paper_broker, amount="1000")
    Position.objects.create(
        user=alice,
        broker=paper_broker,
        symbol="BTC/USDT",
        source="strategy",
        book=books.of_order(source="strategy", active_strategy_id=activation.pk),
        active_strategy_id=activation.pk,
        status=Position.Status.CLOSED,
        realized_pnl=Decimal("-0.096048048048048048"),
    )
    announced = []
    monkeypatch.setattr(activations, "announce_on_commit", announced.append)

    refresh_balance(activation=activation)
    for _ in range(3):  # les vagues suivantes relisent l'activation telle qu'en base
        refresh_balance(activation=ActiveStrategy.objects.get(pk=activation.pk))

    assert ActiveStrategy.objects.get(pk=activation.pk).current_balance == Decimal("999.90395195")
    assert holdings.balance(activation) == Decimal("999.90395195")  # 999,903951951… : jamais arrondi vers le haut
    assert announced == [activation]
