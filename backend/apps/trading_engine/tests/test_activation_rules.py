"""Activer une stratégie par l'API : ce qui est accepté, ce qui est refusé (en français), à qui c'est visible."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from apps.heartbeat.storage import followed_symbols
from apps.strategies.services.activity import is_strategy_active
from apps.trading_engine.models import ActiveStrategy

pytestmark = pytest.mark.django_db(transaction=True)  # la porte des exchanges lit la base depuis son fil

URL = "/api/active-strategies/"


def body(chosen, broker, **changes):
    now = timezone.now()
    return {
        "strategy": chosen.pk,
        "broker": broker.pk,
        "symbol": "ETH/USDT",
        "start_date": (now - timedelta(minutes=5)).isoformat(),
        "end_date": (now + timedelta(days=2)).isoformat(),
        "initial_amount": "1000",
        **changes,
    }


def test_activation_on_a_paper_broker_runs_follows_its_symbol_and_locks_the_strategy(alice_api, strategy, paper_broker):
    response = alice_api.post(URL, body(strategy, paper_broker, symbol="solusdt"), format="json")

    assert response.status_code == 201, response.data
    data = response.data
    assert (data["symbol"], data["timeframe"], data["state"], data["is_active"]) == ("SOL/USDT", "1m", "running", True)
    assert (data["initial_amount"], data["current_balance"], data["pnl"]) == ("1000", "1000", "0")
    assert data["strategy_name"] == "Suiveuse" and data["broker_name"] == "Démo"
    assert data["position"] is None and data["recent_trades"] == [] and data["last_decision"] is None
    assert "SOL/USDT" in followed_symbols()
    assert is_strategy_active(strategy=strategy)
    assert alice_api.delete(f"/api/strategies/{strategy.pk}/").status_code == 400
    assert [a["id"] for a in alice_api.get(URL).data] == [data["id"]]


def test_one_active_strategy_per_symbol_broker_and_user(alice_api, alice, strategy, make_strategy, paper_broker):
    first = alice_api.post(URL, body(strategy, paper_broker), format="json")
    other = make_strategy(alice, name="Autre")

    again = alice_api.post(URL, body(other, paper_broker), format="json")

    assert again.status_code == 409
    assert "déjà active sur ETH/USDT" in again.data["detail"]
    assert alice_api.post(URL, body(other, paper_broker, symbol="BTC/USDT"), format="json").status_code == 201
    assert alice_api.post(f"{URL}{first.data['id']}/stop/", {}, format="json").status_code == 200
    assert alice_api.post(URL, body(other, paper_broker), format="json").status_code == 201


def test_the_database_itself_refuses_two_active_rows(alice, strategy, paper_broker, activate):
    activate(alice, strategy, paper_broker)
    with pytest.raises(IntegrityError):
        activate(alice, strategy, paper_broker)


def test_an_invalid_strategy_is_refused(alice_api, alice, make_strategy, paper_broker):
    untested = make_strategy(alice, is_valid=False)
    response = alice_api.post(URL, body(untested, paper_broker), format="json")
    assert response.status_code == 400
    assert "n'est pas valide" in response.data["detail"]
    assert not ActiveStrategy.objects.exists()


def test_another_users_broker_strategy_or_activation_is_not_found(
    alice_api, bob_api, bob, strategy, paper_broker, make_strategy
):
    from apps.brokers.models import Broker

    bobs_broker = Broker.objects.create(user=bob, name="Bob", exchange="paper")
    bobs_strategy = make_strategy(bob)

    assert alice_api.post(URL, body(strategy, bobs_broker), format="json").status_code == 404
    assert alice_api.post(URL, body(bobs_strategy, paper_broker), format="json").status_code == 404
    mine = alice_api.post(URL, body(strategy, paper_broker), format="json").data["id"]
    for path in ("", "sell/", "stop/", "suspend/", "resume/"):
        method = bob_api.get if not path else bob_api.post
        assert method(f"{URL}{mine}/{path}", format="json").status_code == 404, path
    assert bob_api.patch(f"{URL}{mine}/", {"initial_amount": "5"}, format="json").status_code == 404
    assert bob_api.get(URL).data == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_date": "2020-01-01T00:00:00Z", "start_date": "2019-01-01T00:00:00Z"}, "date de fin est passée"),
        ({"end_date": "2020-01-01T00:00:00Z"}, "doit suivre la date de début"),
        ({"initial_amount": "20000"}, "supérieur au solde libre"),
        ({"symbol": "PASUNE/PAIRE"}, "inconnue"),
        ({"timeframe": "7m"}, "Unité de temps inconnue"),
    ],
)
def test_bad_dates_amounts_or_pairs_are_refused_in_french(alice_api, strategy, paper_broker, changes, message):
    response = alice_api.post(URL, body(strategy, paper_broker, **changes), format="json")
    assert response.status_code == 400
    assert message in str(response.data), response.data


@pytest.mark.parametrize(
    "changes",
    [{"initial_amount": "abc"}, {"initial_amount": "-5"}, {"strategy": "x"}, {"start_date": "hier"}, {"symbol": None}],
)
def test_wrong_types_are_400(alice_api, strategy, paper_broker, changes):
    assert alice_api.post(URL, body(strategy, paper_broker, **changes), format="json").status_code == 400


def test_testnet_mode_refuses_a_production_broker(alice_api, alice, strategy, make_broker, fake_binance):
    alice.testnet_mode = True
    alice.save()
    production = make_broker(alice)
    response = alice_api.post(URL, body(strategy, production, symbol="BTC/USDT"), format="json")
    assert response.status_code == 400
    assert "Mode Testnet actif" in response.data["detail"]


def test_a_binance_broker_checks_the_pair_and_free_balance_on_the_exchange(
    alice_api, alice, strategy, make_broker, fake_binance
):
    broker = make_broker(alice)
    too_much = alice_api.post(URL, body(strategy, broker, symbol="BTCUSDT", initial_amount="1500"), format="json")
    assert too_much.status_code == 400 and "(1\u202f000 USDT)" in too_much.data["detail"]
    created = alice_api.post(URL, body(strategy, broker, symbol="BTCUSDT", initial_amount="900"), format="json")
    assert created.status_code == 201 and created.data["symbol"] == "BTC/USDT"


def test_suspend_resume_and_stop(alice_api, strategy, paper_broker):
    activation = alice_api.post(URL, body(strategy, paper_broker, symbol="SOL/USDT"), format="json").data["id"]
    assert "SOL/USDT" in followed_symbols()
    item = f"{URL}{activation}/"

    assert alice_api.post(f"{item}suspend/").data["state"] == "suspended"
    assert alice_api.post(f"{item}suspend/").status_code == 409
    assert alice_api.post(f"{item}resume/").data["state"] == "running"
    assert alice_api.post(f"{item}resume/").status_code == 409
    patched = alice_api.patch(item, {"initial_amount": "700"}, format="json").data
    assert (patched["initial_amount"], patched["current_balance"]) == ("700", "700")

    stopped = alice_api.post(f"{item}stop/", {}, format="json").data
    assert stopped["start_date"] == stopped["end_date"] == "0001-01-01T00:00:00Z"
    assert (stopped["is_active"], stopped["state"]) == (False, "stopped")
    refused = alice_api.post(f"{item}resume/")
    assert refused.status_code == 409
    assert "arrêtée" in refused.data["detail"] and "Créez-en une nouvelle" in refused.data["detail"]
    assert alice_api.patch(item, {"initial_amount": "5"}, format="json").status_code == 409
    assert alice_api.post(f"{item}sell/").status_code == 409
    assert "SOL/USDT" not in followed_symbols()
    assert not is_strategy_active(strategy=strategy)


def test_sell_without_a_position_is_refused(alice_api, strategy, paper_broker):
    activation = alice_api.post(URL, body(strategy, paper_broker), format="json").data["id"]
    response = alice_api.post(f"{URL}{activation}/sell/")
    assert response.status_code == 409 and "Aucune position ouverte" in response.data["detail"]
