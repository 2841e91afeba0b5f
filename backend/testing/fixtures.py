"""Fixtures pytest partagées : faux Binance sur la porte des exchanges, brokers, bougies (prix paper), ordres,
activations."""

from datetime import timedelta
from decimal import Decimal

import pytest
import redis
from django.conf import settings as django_settings
from django.utils import timezone

from apps.core.services import exchange_clock
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders.request import OrderRequest
from apps.orders.services import place_order
from apps.strategies.services.runners import close_runners
from testing import activations, waiting
from testing.database import database_url
from testing.fake_binance import FakeBinance


def forget_exchange_clocks() -> None:
    """Efface les écarts d'horloge gardés dans Redis (barre de statut) : un test ne les laisse pas au suivant."""
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    try:
        for key in client.scan_iter(match=exchange_clock.KEY_PREFIX + "*"):
            client.delete(key)
    finally:
        client.close()


@pytest.fixture
def exchange_door():
    """La porte des exchanges, vidée de ses instances après le test."""
    yield ccxt_manager
    ccxt_manager.run(ccxt_manager.close_all())


@pytest.fixture
def fake_binance(settings, exchange_door):
    """Un faux Binance local ; la porte y envoie la classe `binance` de CCXT. Essais sans attente."""
    with FakeBinance() as fake:
        settings.EXCHANGE_API_URLS = {"binance": fake.url}
        settings.CCXT_RETRY_DELAY_MS = 0
        yield fake
    forget_exchange_clocks()


@pytest.fixture
def paper_broker(alice, exchange_door):
    """Broker paper d'alice : 10 000 USDT au premier usage, prix = dernière bougie enregistrée (`candle`)."""
    from apps.brokers.models import Broker

    return Broker.objects.create(user=alice, name="Démo", exchange="paper")


@pytest.fixture
def make_broker():
    def make(user, **fields):
        from apps.brokers.models import Broker

        values = {
            "name": "Binance principal",
            "exchange": "binance",
            "api_key": "good-key",
            "api_secret": "good-secret",
            **fields,
        }
        return Broker.objects.create(user=user, **values)

    return make


@pytest.fixture
def candle():
    """Enregistre une bougie 1m de Binance, le prix de l'exchange paper :
    `candle(close, low=, high=, open=, minutes_from_now=, symbol=)` (ouverture = clôture par défaut)."""

    def make(close, *, low=None, high=None, open=None, minutes_from_now=-1, symbol="BTC/USDT"):
        from apps.market_data.models import Candle

        open_time = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=minutes_from_now)
        close, low, high = Decimal(close), Decimal(low or close), Decimal(high or close)
        return Candle.objects.create(
            exchange="binance",
            symbol=symbol,
            timeframe="1m",
            open_time=open_time,
            close_time=open_time + timedelta(seconds=59.999),
            open=Decimal(open or close),
            high=high,
            low=low,
            close=close,
            volume=Decimal("1"),
        )

    return make


@pytest.fixture
def place():
    """`place(user, broker, side="buy", *, order_type=, symbol=, source=, **champs)` : un ordre par le service
    d'ordres (apps.orders.services.place_order) ; `broker` : le Broker ou son id ; `champs` : ceux d'OrderRequest
    (quantity, price, stop_loss, book…)."""

    def order(user, broker, side="buy", *, order_type="market", symbol="BTC/USDT", source="manual", **fields):
        return place_order(
            OrderRequest(
                user=user,
                broker_id=getattr(broker, "pk", broker),
                symbol=symbol,
                side=side,
                order_type=order_type,
                source=source,
                **fields,
            )
        )

    return order


@pytest.fixture
def activate():
    """`activate(user, strategy, broker, symbol=, amount=, timeframe=, **champs)` de testing/activations.py : une
    activation en marche, directement en base."""
    return activations.activate


@pytest.fixture
def db_url() -> str:
    """La base de test, pour les processus lancés par un test (Daphne, worker, commandes)."""
    return database_url()


@pytest.fixture
def wait_until():
    """`wait_until(condition, seconds)` de testing/waiting.py, pour les tests qui la prennent en fixture."""
    return waiting.wait_until


@pytest.fixture(autouse=True)
def _close_pooled_runners():
    """Les runners de stratégies (processus confinés) gardés en réserve par un test ne passent pas au suivant."""
    yield
    close_runners()
