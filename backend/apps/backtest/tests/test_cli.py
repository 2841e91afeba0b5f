"""`manage.py backtest` : les mêmes trades que le backtest de la page sur les mêmes bougies ; CSV à colonne ISO."""

import csv
import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.backtest.services.results import iso
from apps.backtest.tests.conftest import SMA_CROSS
from testing import ltcbtc

pytestmark = pytest.mark.django_db(transaction=True)
TRADE_FIELDS = (
    "entry_time",
    "entry_price",
    "exit_time",
    "exit_price",
    "exit_reason",
    "quantity",
    "fees",
    "pnl",
    "pnl_pct",
)


def cli(*args) -> dict:
    out = StringIO()
    call_command("backtest", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def page_run(alice, alice_api, paper_broker, ltc_5m, tested_strategy, request_body, drain):
    strategy = tested_strategy(alice)
    run_id = alice_api.post("/api/backtests/", request_body(strategy, paper_broker, ltc_5m), format="json").data["id"]
    assert drain() == 1
    return alice_api.get(f"/api/backtests/{run_id}/").data


def test_stored_candles_give_the_same_trades_and_stats_as_the_page(page_run, paper_broker, ltc_5m):
    start, end = ltc_5m
    printed = cli(
        "--strategy",
        "Croisement",
        "--user",
        "alice",
        "--broker",
        str(paper_broker.pk),
        "--symbol",
        "BTC/USDT",
        "--start",
        start.isoformat(),
        "--end",
        end.isoformat(),
        "--timeframe",
        "5m",
        "--amount",
        "10000",
        "--fee",
        "0.001",
    )
    assert len(printed["trades"]) > 3
    assert [{k: t[k] for k in TRADE_FIELDS} for t in printed["trades"]] == [
        {k: t[k] for k in TRADE_FIELDS} for t in page_run["trades"]
    ]
    assert printed["stats"] == page_run["stats"] and printed["bars"] == 865


def test_a_csv_with_iso_dates_runs_from_the_command_line(page_run, tmp_path, db_url):
    strategy_file, candles_file = tmp_path / "sma.py", tmp_path / "bougies.csv"
    strategy_file.write_text(SMA_CROSS)
    with open(candles_file, "w", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(["date", "open", "high", "low", "close", "volume"])
        for r in ltcbtc.btc_usdt_ohlcv("5m"):
            writer.writerow([iso(r.open_time_ms), r.open, r.high, r.low, r.close, r.volume])
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "backtest",
            "--strategy-file",
            str(strategy_file),
            "--csv",
            str(candles_file),
            "--timeframe",
            "5m",
            "--amount",
            "10000",
            "--fee",
            "0.001",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, DATABASE_URL=db_url),
    )
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    # Sans marché connu, les quantités ne sont pas arrondies au pas : mêmes entrées, sorties, raisons et prix.
    same = ("entry_time", "entry_price", "exit_time", "exit_price", "exit_reason")
    assert [{k: t[k] for k in same} for t in printed["trades"]] == [{k: t[k] for k in same} for t in page_run["trades"]]
    assert set(printed["stats"]) >= {"final_amount", "win_rate", "sharpe_ratio", "max_drawdown_pct"}


def test_a_csv_without_its_columns_is_refused_in_french(tmp_path):
    bad, strategy_file = tmp_path / "mauvais.csv", tmp_path / "sma.py"
    bad.write_text("instant,prix\n1,2\n")
    strategy_file.write_text(SMA_CROSS)
    with pytest.raises(CommandError, match="Colonnes attendues : open_time_ms"):
        cli("--strategy-file", str(strategy_file), "--csv", str(bad), "--timeframe", "5m")
    with pytest.raises(CommandError, match="Unité de temps inconnue"):
        cli("--strategy-file", str(strategy_file), "--csv", str(bad), "--timeframe", "7m")
