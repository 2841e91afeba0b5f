"""API des limites (Mon compte) : lecture, modification, refus des mauvaises saisies, broker d'un autre → 404 ;
la barre de statut (GET /api/status/) montre les brokers dont une limite est atteinte ; relever la limite la lève."""

from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.entry_gate import override_confirmed
from apps.orders.models import Trade
from apps.risk.models import RiskLimits, RiskOverride, RiskReach

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/brokers/{}/risk/"
ALL_OFF = {
    "max_daily_loss": None,
    "max_daily_loss_pct": None,
    "max_drawdown_pct": None,
    "max_exposure": None,
    "max_symbol_exposure": None,
    "max_open_positions": None,
    "cooldown_losses": None,
    "cooldown_minutes": None,
    "cooldown_scope": "account",
}


def test_limits_are_off_by_default_then_saved(alice_api, paper_broker):
    first = alice_api.get(URL.format(paper_broker.pk))
    saved = alice_api.put(
        URL.format(paper_broker.pk),
        {**ALL_OFF, "max_daily_loss": "150.5", "max_open_positions": 3, "cooldown_losses": 2, "cooldown_minutes": 45},
        format="json",
    )

    assert first.status_code == 200
    assert first.data["limits"] == ALL_OFF
    assert first.data["reached"] == []
    assert saved.status_code == 200
    assert saved.data["limits"]["max_daily_loss"] == "150.5"
    limits = RiskLimits.objects.get(broker=paper_broker)
    assert (limits.max_daily_loss, limits.max_open_positions, limits.cooldown_minutes) == (Decimal("150.5"), 3, 45)


@pytest.mark.parametrize(
    "field, value",
    [
        ("max_daily_loss", "-10"),
        ("max_daily_loss", "0"),
        ("max_daily_loss", "beaucoup"),
        ("max_daily_loss", [1]),
        ("max_daily_loss_pct", "101"),
        ("max_drawdown_pct", "-1"),
        ("max_open_positions", -2),
        ("max_open_positions", "trois"),
        ("max_open_positions", 1.5),
        ("cooldown_scope", "partout"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(alice_api, paper_broker, field, value):
    response = alice_api.put(URL.format(paper_broker.pk), {**ALL_OFF, field: value}, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert not RiskLimits.objects.exists()


def test_a_cooldown_needs_both_numbers(alice_api, paper_broker):
    response = alice_api.put(URL.format(paper_broker.pk), {**ALL_OFF, "cooldown_losses": 3}, format="json")

    assert response.status_code == 400
    assert "les deux valeurs" in str(response.data)


def test_another_users_broker_is_not_found(bob_api, paper_broker):
    assert bob_api.get(URL.format(paper_broker.pk)).status_code == 404
    assert bob_api.put(URL.format(paper_broker.pk), {**ALL_OFF, "max_exposure": "5"}, format="json").status_code == 404
    assert not RiskLimits.objects.exists()


def test_status_bar_shows_the_reach_and_raising_the_limit_lifts_it(alice_api, bob_api, paper_broker, candle, buy):
    candle("50000")
    assert buy(paper_broker, "0.01").status == Trade.Status.FILLED
    alice_api.put(URL.format(paper_broker.pk), {**ALL_OFF, "max_open_positions": 1}, format="json")

    status = alice_api.get("/api/status/").data["risk"]
    assert status == [
        {
            "broker": paper_broker.pk,
            "broker_name": "Démo",
            "limits": ["nombre maximal de positions ouvertes"],
            "messages": ["Limite atteinte : 1 positions ouvertes au plus (ouvertes : 1)."],
        }
    ]
    assert bob_api.get("/api/status/").data["risk"] == []

    raised = alice_api.put(URL.format(paper_broker.pk), {**ALL_OFF, "max_open_positions": 2}, format="json")

    assert raised.data["reached"] == []
    assert RiskReach.objects.get().lifted_at is not None
    assert alice_api.get("/api/status/").data["risk"] == []


def test_manual_override_needs_the_confirmation_and_is_recorded(alice_api, alice, paper_broker, candle, limits):
    candle("50000")
    limits(paper_broker, max_exposure=Decimal("100"))
    order = {"broker": paper_broker.pk, "symbol": "BTC/USDT", "side": "buy", "order_type": "market", "quantity": "0.01"}

    refused = alice_api.post("/api/trading/orders/", order, format="json")
    forced = alice_api.post("/api/trading/orders/", {**order, "override_limits": True}, format="json")

    assert refused.status_code == 400
    assert refused.data["risk_limit"] is True
    assert "exposition maximale de 100 (" in refused.data["detail"]
    assert forced.status_code == 201
    override = RiskOverride.objects.get()
    assert (override.user, override.broker, override.limit, override.trade_id) == (
        alice,
        paper_broker,
        "exposure",
        forced.data["id"],
    )
    assert override.figures == {"max": "100", "exposure": "0.00", "order": "500.00"}
    assert timezone.now() - override.created_at < timezone.timedelta(minutes=1)
    listed = alice_api.get(URL.format(paper_broker.pk)).data["overrides"]
    assert [(o["username"], o["limit"]) for o in listed] == [("alice", "exposure")]


def test_the_override_is_only_for_manual_trading(paper_broker, candle, limits, buy):
    candle("50000")
    limits(paper_broker, max_exposure=Decimal("100"))
    with override_confirmed(paper_broker.user):
        webhook = buy(paper_broker, "0.01", source="webhook")

    assert webhook.status == Trade.Status.REJECTED
    assert not RiskOverride.objects.exists()
