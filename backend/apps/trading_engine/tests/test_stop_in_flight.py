"""« Suspendre » et « Stop » avec un achat en cours (paper : exécuté à l'ouverture de la minute suivante) : l'achat
est annulé d'abord, sous le verrou de l'activation ; rien ne s'exécute ensuite. Exécuté entre-temps : la position
existe et l'utilisateur le lit sur la carte."""

from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync

from apps.brokers.models import PaperBalance, PaperOrder
from apps.orders.models import Position, Trade
from apps.orders.reconciler import reconcile
from apps.trading_engine.tests.conftest import as_wave

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def buying(alice, strategy, paper_broker, activate, store_candles, new_cycle):
    """Une activation paper dont l'achat (100 USDT) attend l'ouverture de la minute suivante."""
    activation = activate(alice, strategy, paper_broker)
    history = store_candles([50000, 50000, 50100])
    async_to_sync(new_cycle().on_wave)([as_wave(history[-1])])
    entry = Trade.objects.get(active_strategy_id=activation.pk, side="buy")
    assert (entry.status, entry.quantity, entry.position.status) == ("open", Decimal("0.00199"), "opening")
    return activation


def next_minute(store_candles):
    """La minute suivante arrive : un ordre encore ouvert s'exécuterait à son ouverture."""
    store_candles([50100, 50300], last_offset=0, skip=(0,))
    reconcile()


def assert_nothing_bought():
    assert not Trade.objects.filter(side="buy", filled_quantity__gt=0).exists()
    assert not PaperOrder.objects.filter(status=PaperOrder.Status.OPEN).exists()
    assert PaperBalance.objects.get(currency="USDT").free == Decimal("10000")
    assert not Position.objects.filter(status__in=Position.LIVE_STATUSES).exists()


def test_stop_says_what_is_in_flight_then_cancels_it_and_nothing_fills_afterwards(buying, alice_api, store_candles):
    url = f"/api/active-strategies/{buying.pk}/"
    assert alice_api.get(url).data["in_flight"] == "un achat de 0,00199 BTC est en cours"

    warned = alice_api.post(f"{url}stop/", {}, format="json")
    assert warned.status_code == 409
    assert warned.data["detail"].startswith("Un achat de 0,00199 BTC est en cours : il sera annulé avant l'arrêt")
    stopped = alice_api.post(f"{url}stop/", {"sell": True}, format="json")

    assert stopped.status_code == 200, stopped.data
    assert (stopped.data["state"], stopped.data["position"], stopped.data["in_flight"]) == ("stopped", None, None)
    assert Trade.objects.get(side="buy").status == Trade.Status.CANCELLED
    next_minute(store_candles)
    assert_nothing_bought()


def test_suspend_cancels_the_entry_in_flight_and_nothing_fills_afterwards(buying, alice_api, store_candles):
    suspended = alice_api.post(f"/api/active-strategies/{buying.pk}/suspend/")

    assert suspended.status_code == 200, suspended.data
    assert suspended.data["state"] == "suspended"
    next_minute(store_candles)
    assert_nothing_bought()


def test_a_buy_filled_before_its_cancel_leaves_the_position_and_the_card_says_so(buying, alice_api, store_candles):
    store_candles([50100, 50300], last_offset=0, skip=(0,))  # exécutable, pas encore relu

    stopped = alice_api.post(f"/api/active-strategies/{buying.pk}/stop/", {"sell": False}, format="json")

    assert stopped.status_code == 200, stopped.data
    assert stopped.data["state"] == "stopped"
    assert stopped.data["position"]["status"] == "open"
    assert stopped.data["last_decision"] == (
        "L'achat de 0,00199 BTC s'est exécuté avant son annulation : la position est ouverte."
    )
