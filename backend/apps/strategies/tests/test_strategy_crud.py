"""Créer, lister, lire, modifier, supprimer une stratégie ; le code invalide s'enregistre, marqué invalide."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from apps.market_data.models import Candle
from apps.strategies.contract.template import TEMPLATE_CODE
from apps.strategies.models import Strategy
from apps.strategies.services.runners import runner_for
from apps.strategies.tests.conftest import FIRST_BODY_LINE, assert_confined, strategy_code

pytestmark = pytest.mark.django_db


def create(api, **fields):
    data = {"name": "Croisement", "code": TEMPLATE_CODE, "timeframe": "5m", **fields}
    return api.post("/api/strategies/", data, format="json")


def test_template_endpoint(alice_api):
    response = alice_api.get("/api/strategies/template/")
    assert response.status_code == 200 and response.json() == {"code": TEMPLATE_CODE}
    assert "# Montant en devise de cotation" in TEMPLATE_CODE


def test_create_valid_strategy(alice_api, alice):
    response = create(alice_api, description="SMA 10/30")
    assert response.status_code == 201
    body = response.json()
    assert body["is_valid"] is True and body["error_message"] == "" and body["last_tested_at"]
    assert body["owner"] == "alice" and body["timeframe"] == "5m" and body["code"] == TEMPLATE_CODE
    assert Strategy.objects.get(user=alice).name == "Croisement"


def test_invalid_code_is_saved_but_marked(alice_api):
    body = create(alice_api, code=strategy_code("return (")).json()
    assert body["is_valid"] is False
    assert body["error_message"].startswith(f"Ligne {FIRST_BODY_LINE} : Erreur de syntaxe")


def test_list_and_detail(alice_api):
    strategy_id = create(alice_api).json()["id"]
    create(alice_api, name="Autre")
    listing = alice_api.get("/api/strategies/").json()
    assert [s["name"] for s in listing] == ["Autre", "Croisement"]
    assert "code" not in listing[0]
    assert alice_api.get(f"/api/strategies/{strategy_id}/").json()["code"] == TEMPLATE_CODE


def test_update_retests_changed_code(alice_api):
    strategy_id = create(alice_api).json()["id"]
    body = alice_api.put(
        f"/api/strategies/{strategy_id}/", {"code": strategy_code("return 1 / 0")}, format="json"
    ).json()
    assert body["is_valid"] is False and "ZeroDivisionError" in body["error_message"]
    body = alice_api.put(f"/api/strategies/{strategy_id}/", {"description": "cassée"}, format="json").json()
    assert body["is_valid"] is False and body["description"] == "cassée"
    body = alice_api.put(f"/api/strategies/{strategy_id}/", {"code": TEMPLATE_CODE}, format="json").json()
    assert body["is_valid"] is True and body["error_message"] == ""


def test_name_is_unique_per_user(alice_api, bob_api):
    create(alice_api)
    response = create(alice_api)
    assert response.status_code == 400
    assert response.json() == {"detail": "Vous avez déjà une stratégie nommée « Croisement »."}
    assert create(bob_api).status_code == 201


def test_delete(alice_api):
    strategy_id = create(alice_api).json()["id"]
    assert alice_api.delete(f"/api/strategies/{strategy_id}/").status_code == 204
    assert not Strategy.objects.filter(pk=strategy_id).exists()


def test_test_endpoint_records_the_result(alice_api, alice):
    strategy_id = create(alice_api, code=strategy_code("return 1 / 0")).json()["id"]
    Strategy.objects.filter(pk=strategy_id).update(code=TEMPLATE_CODE, is_valid=False)
    body = alice_api.post(f"/api/strategies/{strategy_id}/test/").json()
    assert body["ok"] is True and body["class"] == "MaStrategie"
    assert_confined(runner_for(alice.pk))  # « Tester » (Daphne) passe par un runner confiné
    strategy = Strategy.objects.get(pk=strategy_id)
    assert strategy.is_valid and strategy.error_message == "" and strategy.last_tested_at


def test_dry_run_uses_stored_candles_of_the_timeframe(alice_api):
    start = datetime(2025, 1, 1, tzinfo=UTC)
    Candle.objects.bulk_create(
        [
            Candle(
                symbol="ETH/USDT",
                timeframe="5m",
                open_time=start + timedelta(minutes=5 * i),
                close_time=start + timedelta(minutes=5 * i + 5),
                open=Decimal(100 + i % 7),
                high=Decimal(110),
                low=Decimal(90),
                close=Decimal(100 + (i * 3) % 11),
                volume=Decimal(1),
            )
            for i in range(120)
        ]
    )
    body = alice_api.post("/api/strategies/validate/", {"code": TEMPLATE_CODE, "timeframe": "5m"}, format="json").json()
    assert body["dry_run"]["symbol"] == "ETH/USDT" and body["dry_run"]["candles"] == 120
    assert body["dry_run"]["generated"] is False
    body = alice_api.post("/api/strategies/validate/", {"code": TEMPLATE_CODE, "timeframe": "1h"}, format="json").json()
    assert body["dry_run"]["generated"] is True
