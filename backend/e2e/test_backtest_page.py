"""Bout en bout, page Backtest sur des bougies enregistrées (LTC/BTC réelles rangées en BTC/USDT) : un croisement de
moyennes jusqu'au bout (graphique, marqueurs, trades), une stratégie lente refusée sur une période trouée puis,
trous autorisés, suivie, rechargée et annulée."""

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from e2e.servers import BACKEND
from testing import ltcbtc
from testing.strategy_code import SMA_CROSS

ZONE = ZoneInfo("Europe/Paris")


# Quelques millisecondes par bougie : les 4 312 bougies 1m durent assez pour suivre la barre et annuler.
SLOW = """from aristobot.strategies import Strategy


class Lente(Strategy):
    def should_long(self):
        total = 0
        for i in range(150000):
            total += i
        return False
"""

SETUP = f"""
from apps.accounts.models import User
from apps.backtest.services.candles import save_candles
from apps.brokers.models import Broker
from apps.brokers.paper.markets import paper_markets
from apps.market_data.services import save_markets
from apps.strategies.models import Strategy
from apps.strategies.services.versions import record_version
from testing.ltcbtc import btc_usdt_ohlcv
dev = User.objects.get(username="dev")
broker, _ = Broker.objects.get_or_create(user=dev, name="Paper trading", exchange="paper")
dev.default_broker = broker
dev.display_timezone = "Europe/Paris"
dev.save()
save_markets("paper", paper_markets())
for timeframe in ("1m", "5m"):
    save_candles(exchange="binance", symbol="BTC/USDT", timeframe=timeframe, candles=btc_usdt_ohlcv(timeframe))
for name, code, timeframe in (("Croisement", {SMA_CROSS!r}, "5m"), ("Lente", {SLOW!r}, "1m")):
    strategy, _ = Strategy.objects.update_or_create(
        user=dev, name=name, defaults=dict(code=code, timeframe=timeframe, is_valid=True)
    )
    record_version(strategy=strategy, is_valid=True)
"""
# Les bougies de 2018 aussi : le heartbeat jugerait sa cohérence sur elles.
TEARDOWN = """
from datetime import UTC, datetime
from apps.accounts.models import User
from apps.backtest.models import BacktestRun
from apps.market_data.models import Candle, Market
from apps.strategies.models import Strategy
BacktestRun.objects.filter(user__username="dev").delete()
Strategy.objects.filter(user__username="dev", name__in=["Croisement", "Lente"]).delete()
Market.objects.filter(exchange="paper").delete()
Candle.objects.filter(exchange="binance", symbol="BTC/USDT", open_time__lt=datetime(2019, 1, 1, tzinfo=UTC)).delete()
User.objects.filter(username="dev").update(default_broker=None, display_timezone="UTC")
"""


def period(timeframe: str, minutes: int) -> tuple[datetime, datetime]:
    """Première et fin de la dernière bougie du fichier, en heure UTC."""
    times = [int(row["open_time_ms"]) for row in ltcbtc.rows(timeframe)]
    return (
        datetime.fromtimestamp(times[0] / 1000, tz=UTC),
        datetime.fromtimestamp(times[-1] / 1000 + minutes * 60, tz=UTC),
    )


def wall(moment: datetime) -> str:
    """Valeur d'un <input type=datetime-local> en heure de Paris."""
    return moment.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def backtest_world(dev_app, log_dir):
    dev_app.manage("shell", "-c", SETUP)
    with open(log_dir / "backtest-worker.log", "a") as log:  # l'enfant garde son descripteur
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_backtest_worker"],
            cwd=BACKEND,
            env=dev_app.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    yield
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(timeout=30)
    dev_app.manage("shell", "-c", TEARDOWN)


def launch(page, strategy: str, timeframe: str, start: datetime, end: datetime):
    page.get_by_test_id("bt-strategy").select_option(label=strategy)
    page.get_by_test_id("bt-timeframe").select_option(timeframe)
    page.get_by_test_id("bt-symbol").fill("BTC/USDT")
    page.get_by_test_id("bt-start").fill(wall(start))
    page.get_by_test_id("bt-end").fill(wall(end))
    page.get_by_test_id("bt-amount").fill("10000")
    page.get_by_test_id("bt-fee").fill("0.001")
    page.get_by_test_id("bt-submit").click()


def test_a_sma_cross_runs_to_the_end_with_chart_markers_and_trades(dev_app, backtest_world, page):
    start, end = period("5m", 5)
    page.goto(dev_app.url + "/backtest")
    expect(page.get_by_test_id("bt-start")).to_be_visible()
    launch(page, "Croisement", "5m", start, end)

    result = page.locator("[data-testid=bt-result][data-status=done]")
    expect(result).to_be_visible(timeout=30_000)
    run = page.request.get(dev_app.url + "/api/backtests/").json()[0]
    detail = page.request.get(f"{dev_app.url}/api/backtests/{run['id']}/").json()
    trades = detail["trades"]
    assert trades and int(detail["stats"]["total_trades"]) == len(trades)

    chart = page.get_by_test_id("bt-candles-chart")
    expect(chart).to_have_attribute("data-candles", "865")
    expect(chart).to_have_attribute("data-markers", str(2 * len(trades)))
    expect(chart).to_have_attribute("data-price-lines", "3")
    assert chart.locator("canvas").count() > 0
    assert page.get_by_test_id("bt-equity-chart").locator("canvas").count() > 0
    expect(page.get_by_test_id("bt-stat-total_trades")).to_contain_text(str(len(trades)))
    rows = page.get_by_test_id("bt-trade-row")
    expect(rows).to_have_count(len(trades))
    entry = datetime.fromisoformat(trades[0]["entry_time"]).astimezone(ZONE).strftime("%Y-%m-%d %H:%M")
    expect(rows.first).to_contain_text(entry)

    page.get_by_test_id("bt-sort-pnl").click()
    pnls = [
        float(text.replace("\u202f", "").replace(" ", "").replace(",", ".").replace("−", "-"))
        for text in page.get_by_test_id("bt-trade-pnl").all_inner_texts()
    ]
    assert pnls == sorted(pnls)
    csv_text = page.request.get(dev_app.url + page.get_by_test_id("bt-trades-csv").get_attribute("href")).text()
    assert len(csv_text.strip().splitlines()) == len(trades) + 1


def test_a_slow_backtest_with_gaps_shows_progress_survives_a_reload_and_is_cancelled(dev_app, backtest_world, page):
    start, end = period("1m", 1)
    page.goto(dev_app.url + "/backtest")
    expect(page.get_by_test_id("bt-start")).to_be_visible()
    launch(page, "Lente", "1m", start, end)
    # Le fichier 1m a des trous : refusé tant que « Autoriser les trous » n'est pas coché.
    expect(page.get_by_test_id("bt-run-error")).to_contain_text(
        "Bougies manquantes sur la période : 2018-01-20T09:39:00Z"
    )

    page.get_by_test_id("bt-allow-gaps").check()
    page.get_by_test_id("bt-submit").click()
    label = page.get_by_test_id("bt-progress-label")
    expect(label).to_contain_text("Calcul", timeout=30_000)
    fill = page.get_by_test_id("bt-progress-fill")
    first = float(fill.get_attribute("style").split("width:")[1].split("%")[0])
    page.wait_for_function(
        "(first) => parseFloat(document.querySelector('[data-testid=bt-progress-fill]').style.width) > first + 1",
        arg=first,
    )

    page.reload()
    expect(page.get_by_test_id("bt-progress-label")).to_contain_text("Calcul")
    page.get_by_test_id("bt-cancel").click()

    expect(page.locator("[data-testid=bt-result][data-status=cancelled]")).to_be_visible()
    expect(page.get_by_test_id("bt-partial")).to_contain_text("Résultat partiel")
    expect(page.get_by_test_id("bt-run-status").first).to_have_text("annulé (partiel)")


def test_the_browser_refuses_an_end_before_the_start_in_french(dev_app, backtest_world, page):
    start, end = period("5m", 5)
    page.goto(dev_app.url + "/backtest")
    expect(page.get_by_test_id("bt-start")).to_be_visible()
    launch(page, "Croisement", "5m", end, start)

    expect(page.get_by_test_id("bt-error-end")).to_have_text("La date de fin doit suivre la date de début.")
    expect(page.get_by_test_id("bt-run-row")).to_have_count(0)


def test_the_default_form_runs_on_the_strategy_timeframe_and_the_stored_period(dev_app, backtest_world, page):
    start, end = period("5m", 5)
    page.goto(dev_app.url + "/backtest")
    page.get_by_test_id("bt-strategy").select_option(label="Croisement")
    expect(page.get_by_test_id("bt-timeframe")).to_have_value("5m")
    expect(page.get_by_test_id("bt-start")).to_have_value(wall(start))
    expect(page.get_by_test_id("bt-end")).to_have_value(wall(end))
    expect(page.get_by_test_id("bt-coverage-period").first).to_contain_text(start.astimezone(ZONE).strftime("%Y-%m-%d"))
    expect(page.get_by_test_id("bt-coverage-paper")).to_be_visible()
    page.get_by_test_id("bt-submit").click()
    expect(page.locator("[data-testid=bt-result][data-status=done]")).to_be_visible(timeout=30_000)
    page.set_viewport_size({"width": 1280, "height": 800})  # backtests passés et trades : rien ne déborde
    expect(page.get_by_test_id("bt-run-row").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.get_by_test_id("bt-stat-cagr_pct").get_by_test_id("bt-stat-value")).to_have_text("—")
    expect(page.get_by_test_id("bt-stat-cagr_pct").get_by_test_id("bt-stat-value")).to_have_attribute(
        "title", "Non annualisé : période de moins de 30 jours."
    )
