"""Demandes refusées : entrées fausses (400 en français), stratégie ou broker d'un autre, backtest d'un autre (404)."""

import pytest
from django.utils import timezone

from apps.backtest.models import BacktestRun
from apps.brokers.models import Broker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def body(alice, paper_broker, ltc_5m, tested_strategy, request_body):
    return request_body(tested_strategy(alice), paper_broker, ltc_5m)


@pytest.mark.parametrize(
    "change, field, text",
    [
        ({"timeframe": "7m"}, "timeframe", "Unité de temps inconnue"),
        ({"end": "2018-01-20T00:00:00Z"}, "end", "La fin doit être après le début"),
        ({"initial_amount": "0"}, "initial_amount", "Le montant de départ doit être positif"),
        ({"initial_amount": "-5"}, "initial_amount", "Le montant de départ doit être positif"),
        ({"fee": "0.1"}, "fee", "Les frais vont de 0 à 0,1"),
        ({"fee": "-0.001"}, "fee", "Les frais vont de 0 à 0,1"),
        ({"start": "hier"}, "start", "date"),
    ],
)
def test_bad_input_is_refused_in_french(alice_api, body, change, field, text):
    response = alice_api.post("/api/backtests/", {**body, **change}, format="json")
    assert response.status_code == 400
    assert text in " ".join(response.data[field]), response.data
    assert not BacktestRun.objects.exists()


def test_an_untested_strategy_is_refused(alice_api, alice, body):
    alice.strategies.update(is_valid=False)
    response = alice_api.post("/api/backtests/", body, format="json")
    assert response.status_code == 400 and "n'a pas passé « Tester »" in response.data["detail"]


def test_a_range_without_closed_candles_is_refused(alice_api, body):
    future = timezone.now() + timezone.timedelta(days=2)
    response = alice_api.post(
        "/api/backtests/",
        {**body, "start": future.isoformat(), "end": (future + timezone.timedelta(days=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "Aucune bougie clôturée" in response.data["detail"]


def test_another_users_strategy_broker_or_backtest_is_not_found(alice_api, bob_api, bob, body, tested_strategy):
    bobs_strategy = tested_strategy(bob)
    bobs_broker = Broker.objects.create(user=bob, name="Bob", exchange="paper")
    assert alice_api.post("/api/backtests/", {**body, "strategy": bobs_strategy.pk}, format="json").status_code == 404
    assert alice_api.post("/api/backtests/", {**body, "broker": bobs_broker.pk}, format="json").status_code == 404
    run_id = alice_api.post("/api/backtests/", body, format="json").data["id"]
    for path in ("", "candles/", "trades.csv", "equity.csv"):
        assert bob_api.get(f"/api/backtests/{run_id}/{path}").status_code == 404, path
    assert bob_api.post(f"/api/backtests/{run_id}/cancel/").status_code == 404
    assert bob_api.delete(f"/api/backtests/{run_id}/").status_code == 404
    assert bob_api.get("/api/backtests/").data == []
    assert BacktestRun.objects.get(pk=run_id).status == "queued"


def test_anonymous_is_refused(api):
    assert api.get("/api/backtests/").status_code in (401, 403)
