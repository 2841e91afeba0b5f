"""Le scénario du trader (issue 22), de bout en bout sur paper par l'API : une position manuelle ETH, puis une
activation sur ETH/USDT. Chaque source tient son livre : positions séparées, l'activation n'engage jamais plus que
son solde et n'entre pas de nouveau en position, son stop ne protège que sa quantité, Statistiques les sépare."""

from datetime import timedelta
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from apps.brokers.models import PaperOrder
from apps.orders import books
from apps.orders.models import Position, Trade
from apps.trading_engine.tests.conftest import as_wave

pytestmark = pytest.mark.django_db(transaction=True)

# Achète quand la clôture monte (1 200 USDT demandés : plus que son solde), vend quand elle baisse ; stop −10 %.
GREEDY_CODE = """\
from decimal import Decimal

from aristobot.strategies import Strategy


class Gourmande(Strategy):
    warmup = 2

    def should_long(self):
        close = self.candles["close"]
        return close.iloc[-1] > close.iloc[-2]

    def should_exit(self):
        close = self.candles["close"]
        return close.iloc[-1] < close.iloc[-2]

    def calculate_position_size(self):
        return Decimal("1200")

    def calculate_stop_loss(self):
        return self.price * Decimal("0.9")
"""
ETH = "ETH/USDT"


@pytest.fixture
def greedy(alice, make_strategy):
    return make_strategy(alice, GREEDY_CODE, name="Gourmande")


def activate_by_api(alice_api, strategy, broker, amount="500"):
    response = alice_api.post(
        "/api/active-strategies/",
        {
            "strategy": strategy.pk,
            "broker": broker.pk,
            "symbol": ETH,
            "start_date": (timezone.now() - timedelta(hours=1)).isoformat(),
            "end_date": (timezone.now() + timedelta(days=1)).isoformat(),
            "initial_amount": amount,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    return response.data["id"]


def manual_buy(alice_api, broker, **fields):
    response = alice_api.post(
        "/api/trading/orders/",
        {"broker": broker.pk, "symbol": ETH, "side": "buy", "order_type": "market", **fields},
        format="json",
    )
    assert response.status_code == 201, response.data
    return response.data


def live(book: str) -> Position:
    return Position.objects.get(symbol=ETH, book=book, status__in=Position.LIVE_STATUSES)


def legs_of(position: Position) -> list[tuple[str, Decimal]]:
    trades = Trade.objects.filter(position=position, role__in=("stop_loss", "take_profit"), status="open")
    return sorted((leg.role, leg.quantity) for leg in trades)


def test_manual_and_activation_books_stay_apart_on_the_same_pair(
    alice_api, paper_broker, greedy, store_candles, new_cycle
):
    history = store_candles([2000, 2000, 2010], symbol=ETH)
    manual_buy(alice_api, paper_broker, quantity="0.5", stop_loss="1800", take_profit="2500")
    manual = live(books.MANUAL)
    assert manual.quantity == Decimal("0.4995")  # 0,5 ETH moins 0,1 % de frais payés en ETH
    activation_id = activate_by_api(alice_api, greedy, paper_broker)
    cycle = new_cycle()

    # L'activation décide d'acheter 1 200 USDT : plafonné à ses 500 ; l'achat paper attend l'ouverture suivante.
    async_to_sync(cycle.on_wave)([as_wave(history[-1])])
    card = alice_api.get(f"/api/active-strategies/{activation_id}/").data
    assert card["last_decision"] == "Achat envoyé (ouvert) : exécution au prochain prix."
    assert Trade.objects.get(active_strategy_id=activation_id).amount <= Decimal("500")
    assert card["in_flight"] == "un achat de 0,2485 ETH est en cours"
    # Ouverture suivante à 2010 : l'achat s'exécute ; la bougie monte encore, l'activation n'entre pas de nouveau.
    (again,) = store_candles([2010, 2020], symbol=ETH, last_offset=0, skip=(0,))
    async_to_sync(cycle.on_wave)([as_wave(again)])

    own = live(books.activation(activation_id))
    manual.refresh_from_db()
    assert own.pk != manual.pk and own.status == manual.status == Position.Status.OPEN
    assert manual.quantity == Decimal("0.4995") and manual.active_strategy_id is None
    assert own.active_strategy_id == activation_id and own.quantity == Decimal("0.2485") * Decimal("0.999")
    assert own.entry_cost <= Decimal("500")  # 0,2485 × 2010 = 499,485 ; frais payés en ETH
    assert Trade.objects.filter(active_strategy_id=activation_id, side="buy", role="").count() == 1
    # Chaque protection pour sa seule quantité : l'OCO manuel pour 0,4995, le stop de l'activation pour la sienne.
    assert legs_of(manual) == [("stop_loss", Decimal("0.4995")), ("take_profit", Decimal("0.4995"))]
    assert legs_of(own) == [("stop_loss", Decimal("0.2482"))]  # au pas de 0,0001 ETH
    stops = PaperOrder.objects.filter(status=PaperOrder.Status.OPEN, trigger_kind="stop_loss")
    assert sorted(o.amount for o in stops) == [Decimal("0.2482"), Decimal("0.4995")]
    card = alice_api.get(f"/api/active-strategies/{activation_id}/").data
    assert card["position"]["id"] == own.pk and card["in_flight"] is None

    # « Vendre » sur la carte : seule la quantité de l'activation part ; « Clôturer » : seule la manuelle.
    assert alice_api.post(f"/api/active-strategies/{activation_id}/sell/").status_code == 200
    own.refresh_from_db()
    manual.refresh_from_db()
    assert (own.status, manual.status, manual.quantity) == ("closed", "open", Decimal("0.4995"))
    assert legs_of(manual) == [("stop_loss", Decimal("0.4995")), ("take_profit", Decimal("0.4995"))]
    assert alice_api.post(f"/api/positions/{manual.pk}/close/").status_code == 200
    manual.refresh_from_db()
    assert manual.status == "closed"
    sales = Trade.objects.filter(side="sell", role="", status="filled").order_by("pk")
    assert [(t.book, t.filled_quantity) for t in sales] == [
        (books.activation(activation_id), Decimal("0.2482")),
        (books.MANUAL, Decimal("0.4995")),
    ]

    summary = alice_api.get("/api/stats/summary/").json()
    by_source = {row["source"]: row for row in summary["source"]}
    assert set(by_source) == {"manual", "strategy"}
    assert by_source["strategy"]["realized_pnl"] == format(own.realized_pnl.normalize(), "f")
    assert by_source["manual"]["realized_pnl"] == format(manual.realized_pnl.normalize(), "f")
    assert by_source["strategy"]["total_trades"] == by_source["manual"]["total_trades"] == 1
