"""Ce que le formulaire de backtest lit avant un lancement : les périodes enregistrées de la paire et de l'unité,
et si les manques seront téléchargés ; un backtest sans bougie le dit sans parler de trous."""

from datetime import UTC, datetime

import pytest

from apps.backtest.models import BacktestRun

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_stored_periods_of_the_pair_and_timeframe_are_listed(alice_api, paper_broker, ltc_5m):
    start, end = ltc_5m
    answer = alice_api.get(
        "/api/backtests/coverage/", {"broker": paper_broker.pk, "symbol": "btc/usdt", "timeframe": "5m"}
    )
    assert answer.status_code == 200, answer.data
    assert answer.data["downloads_missing"] is False and answer.data["exchange"] == "binance"
    assert [(p["start"], p["end"], p["candles"]) for p in answer.data["periods"]] == [
        (start.isoformat().replace("+00:00", "Z"), end.isoformat().replace("+00:00", "Z"), 865)
    ]
    other = alice_api.get(
        "/api/backtests/coverage/", {"broker": paper_broker.pk, "symbol": "BTC/USDT", "timeframe": "1m"}
    )
    assert other.data["periods"] == []


def test_a_real_exchange_broker_downloads_what_is_missing(alice, alice_api, make_broker):
    broker = make_broker(alice)
    answer = alice_api.get("/api/backtests/coverage/", {"broker": broker.pk, "symbol": "BTC/USDT", "timeframe": "1h"})
    assert answer.data["downloads_missing"] is True and answer.data["periods"] == []


def test_the_coverage_of_another_users_broker_is_not_found(bob_api, paper_broker):
    answer = bob_api.get(
        "/api/backtests/coverage/", {"broker": paper_broker.pk, "symbol": "BTC/USDT", "timeframe": "5m"}
    )
    assert answer.status_code == 404


def test_a_period_without_candles_fails_without_a_gap_list(
    alice, alice_api, paper_broker, tested_strategy, request_body, drain
):
    period = (datetime(2018, 1, 1, tzinfo=UTC), datetime(2018, 1, 2, tzinfo=UTC))
    body = request_body(tested_strategy(alice), paper_broker, period)
    alice_api.post("/api/backtests/", body, format="json")
    assert drain() == 1
    run = BacktestRun.objects.get()
    assert run.status == "failed" and run.gaps == []
    assert "n'utilise que les bougies stockées" in run.error
