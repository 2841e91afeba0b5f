from decimal import Decimal

import pytest

from apps.orders.models import Position
from apps.orders.request import OrderRequest
from apps.orders.services import place_order
from apps.risk.models import RiskLimits


@pytest.fixture
def limits():
    """`limits(broker, max_exposure=...)` : enregistre les limites du broker."""

    def make(broker, **values):
        return RiskLimits.objects.update_or_create(broker=broker, user=broker.user, defaults=values)[0]

    return make


@pytest.fixture
def buy():
    """`buy(broker, quantity, symbol=, source=, book=)` : un achat au marché par le service d'ordres."""

    def place(broker, quantity, symbol="BTC/USDT", source="manual", book=None, **fields):
        return place_order(
            OrderRequest(
                user=broker.user,
                broker_id=broker.pk,
                symbol=symbol,
                side="buy",
                order_type="market",
                quantity=Decimal(quantity),
                source=source,
                book=book,
                **fields,
            )
        )

    return place


@pytest.fixture
def sell():
    """`sell(position)` : vend toute la position de son livre."""

    def place(position: Position, source="manual"):
        return place_order(
            OrderRequest(
                user=position.user,
                broker_id=position.broker_id,
                symbol=position.symbol,
                side="sell",
                order_type="market",
                quantity=position.quantity,
                source=source,
                book=position.book,
            )
        )

    return place


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
