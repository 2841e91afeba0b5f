from decimal import Decimal

import pytest

from apps.orders.models import Position
from apps.risk.models import RiskLimits


@pytest.fixture
def limits():
    """`limits(broker, max_exposure=...)` : enregistre les limites du broker."""

    def make(broker, **values):
        return RiskLimits.objects.update_or_create(broker=broker, user=broker.user, defaults=values)[0]

    return make


@pytest.fixture
def buy(place):
    """`buy(broker, quantity, symbol=, source=, book=)` : un achat au marché du propriétaire du broker (`place`)."""
    return lambda broker, quantity, **fields: place(broker.user, broker, quantity=Decimal(quantity), **fields)


@pytest.fixture
def sell(place):
    """`sell(position, source=)` : vend toute la position de son livre (`place`)."""
    return lambda position, source="manual": place(
        position.user,
        position.broker_id,
        "sell",
        symbol=position.symbol,
        quantity=position.quantity,
        source=source,
        book=position.book,
    )


@pytest.fixture
def closed_position():
    """`closed_position(broker, pnl, closed_at, book=)` : une position clôturée (historique de pertes / gains)."""

    def make(broker, pnl, closed_at, book="manual", symbol="BTC/USDT"):
        position = Position.objects.create(
            user=broker.user,
            broker=broker,
            symbol=symbol,
            source="manual",
            book=book,
            status=Position.Status.CLOSED,
            realized_pnl=Decimal(pnl),
        )
        Position.objects.filter(pk=position.pk).update(closed_at=closed_at)
        return position

    return make
