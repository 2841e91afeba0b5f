import pytest

from apps.orders.services import place_order


@pytest.fixture
def binance_broker(alice, fake_binance, make_broker):
    """Broker binance d'alice : la vraie classe CCXT `binance`, qui parle au faux Binance local."""
    return make_broker(alice)


@pytest.fixture
def order(alice):
    """`order(broker, side, order_type, **tailles)` : un ordre manuel d'alice par le service d'ordres."""

    def place(broker, side="buy", order_type="market", symbol="BTC/USDT", **fields):
        return place_order(
            user=alice, broker_id=broker.pk, symbol=symbol, side=side, order_type=order_type, source="manual", **fields
        )

    return place
