"""Un backtest demandé par l'API, calculé par le worker, relu, exporté, supprimé."""

import csv
import io

import pytest

from apps.backtest.models import BacktestRun
from apps.strategies.services.runners import runner_for
from apps.strategies.tests.conftest import assert_confined

pytestmark = pytest.mark.django_db(transaction=True)


def test_run_through_the_worker_then_read_export_and_delete(
    alice_api, alice, paper_broker, ltc_5m, tested_strategy, request_body, drain
):
    strategy = tested_strategy(alice)
    response = alice_api.post("/api/backtests/", request_body(strategy, paper_broker, ltc_5m), format="json")
    assert response.status_code == 202, response.data
    assert response.data["status"] == "queued" and response.data["strategy_name"] == "Croisement"
    run_id = response.data["id"]

    assert drain() == 1
    assert_confined(runner_for(alice.pk))  # le worker des backtests passe par un runner confiné
    detail = alice_api.get(f"/api/backtests/{run_id}/").data
    assert detail["status"] == "done", detail["error"]
    assert detail["bars"] == 865 and detail["partial"] is False and detail["gaps"] == []
    assert detail["progress"] == 100 and detail["phase"] is None
    trades = detail["trades"]
    assert len(trades) == int(detail["stats"]["total_trades"]) > 3
    assert {t["exit_reason"] for t in trades} <= {"signal", "stop_loss", "take_profit", "end"}
    first = trades[0]
    assert first["entry_time"].endswith("Z") and isinstance(first["entry_price"], str)
    assert first["stop_loss"] is not None and first["take_profit"] is not None
    assert len(detail["equity"]) == 865 and detail["equity"][-1]["time"] > detail["equity"][0]["time"]
    stats = detail["stats"]
    assert stats["final_amount"] == detail["final_amount"].rstrip("0").rstrip(".")
    won, lost = int(stats["winning_trades"]), int(stats["losing_trades"])
    assert won + lost == len(trades) and abs(float(stats["win_rate"]) - won / len(trades) * 100) < 1e-3
    assert float(stats["max_drawdown_pct"]) < 0 and stats["sharpe_ratio"] is not None
    assert detail["code_hash"] == BacktestRun.objects.get().code_hash and len(detail["code_hash"]) == 64
    assert detail["fee"] == "0.001" and detail["duration_seconds"] > 0

    listed = alice_api.get("/api/backtests/").data
    assert [row["id"] for row in listed] == [run_id] and "trades" not in listed[0]

    candles = alice_api.get(f"/api/backtests/{run_id}/candles/").data
    assert len(candles) == 865 and set(candles[0]) == {"time", "open", "high", "low", "close", "volume"}

    trades_csv = alice_api.get(f"/api/backtests/{run_id}/trades.csv")
    assert trades_csv["Content-Type"].startswith("text/csv")
    rows = excel_rows(trades_csv)
    assert [row["pnl"] for row in rows] == [t["pnl"].replace(".", ",") for t in trades]
    assert all(len(row["quantity"].split(",")[-1]) <= 12 for row in rows)  # sans le bruit du float
    equity_rows = excel_rows(alice_api.get(f"/api/backtests/{run_id}/equity.csv"))
    assert len(equity_rows) == 865 and equity_rows[-1]["equity"] == detail["equity"][-1]["equity"].replace(".", ",")

    assert alice_api.delete(f"/api/backtests/{run_id}/").status_code == 204
    assert alice_api.get(f"/api/backtests/{run_id}/").status_code == 404


def test_newest_first_and_one_running_per_user(alice, paper_broker, ltc_5m, tested_strategy, request_body, alice_api):
    strategy = tested_strategy(alice)
    ids = [
        alice_api.post("/api/backtests/", request_body(strategy, paper_broker, ltc_5m), format="json").data["id"]
        for _ in range(2)
    ]
    assert [row["id"] for row in alice_api.get("/api/backtests/").data] == ids[::-1]
    from apps.backtest.services.runs import claim_next

    assert claim_next().pk == ids[0]
    assert claim_next() is None  # le second attend la fin du premier


def excel_rows(response) -> list[dict]:
    """Un export pour Excel français : BOM UTF-8, « ; », virgule décimale."""
    text = response.content.decode()
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
