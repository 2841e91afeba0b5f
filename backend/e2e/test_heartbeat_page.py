"""Bout en bout de la page Heartbeat, hors ligne : faux Binance local → run_heartbeat → Daphne → Chromium."""

import os
import re
import signal

import pytest
from playwright.sync_api import expect

from e2e.servers import App, free_port, wait_port

TIMEFRAMES = ["1m", "3m", "5m", "10m", "15m", "1h", "2h", "4h"]
GREEN = "rgb(0, 255, 136)"  # --success du thème sombre


class Offline:
    """L'application avec son heartbeat branché sur un simulateur local qu'on peut couper et relancer."""

    def __init__(self, e2e_env, log_dir):
        self.port = free_port()
        url = f"127.0.0.1:{self.port}"
        env = dict(
            e2e_env, BINANCE_WS_URL=f"ws://{url}", BINANCE_REST_URL=f"http://{url}", HEARTBEAT_ACTIVE_SECONDS="3"
        )
        self.app = App("heartbeat-page", env, log_dir).start()
        self.start_simulator()
        self.app.run("heartbeat-service", "run_heartbeat")

    def start_simulator(self):
        # 20 s de marché par seconde, départ à 23:58 UTC : minuit ferme toutes les unités quelques secondes après.
        self.simulator = self.app.run(
            "binance-simulator",
            "run_binance_simulator",
            "--port",
            str(self.port),
            "--speed",
            "20",
            "--start",
            "2024-03-01T23:58",
        )
        wait_port(self.port, up=True)

    def stop_simulator(self):
        os.killpg(self.simulator.process.pid, signal.SIGTERM)
        self.simulator.process.wait(timeout=10)
        wait_port(self.port, up=False)


@pytest.fixture(scope="module")
def offline(e2e_env, spa_build, log_dir):
    offline = Offline(e2e_env, log_dir)
    yield offline
    offline.app.stop()
    offline.app.manage("shell", "-c", "from apps.market_data.models import Candle; Candle.objects.all().delete()")


def test_stream_rows_closed_candles_timeframe_boxes_and_heartbeat_dot(offline, page):
    page.goto(offline.app.url + "/heartbeat")
    rows = page.get_by_test_id("stream-row")
    expect(rows).to_have_count(60, timeout=30_000)  # 60 gardées, les plus récentes en tête
    scroller = page.get_by_test_id("stream-list")
    visible = scroller.evaluate("box => box.clientHeight / box.querySelector('tbody tr').offsetHeight")
    assert 19.5 <= visible <= 21.5, visible  # 20 lignes visibles (et l'en-tête), le reste en défilant

    closed = page.locator("[data-testid=stream-row].closed")
    expect(closed.first).to_be_visible(timeout=20_000)
    # relu jusqu'à la réponse : la liste défile en direct, une ligne lue peut être remplacée entre-temps
    expect(closed.first.locator("td").first).to_have_css("color", GREEN)
    open_row = page.locator("[data-testid=stream-row]:not(.closed)").first
    expect(open_row.locator("td").first).not_to_have_css("color", GREEN)

    for timeframe in TIMEFRAMES:
        box = page.get_by_test_id(f"timeframe-box-{timeframe}")
        expect(box.get_by_test_id("tf-candle")).to_have_count(2, timeout=60_000)  # BTC/USDT et ETH/USDT
    expect(page.get_by_test_id("timeframe-box-4h")).to_contain_text("2024-03-01 20:00")  # fuseau de dev : UTC

    dot = page.get_by_test_id("heartbeat-dot")
    expect(dot).to_have_class(re.compile(r"\bon\b"))
    offline.stop_simulator()
    expect(dot).to_have_class(re.compile(r"\boff\b"), timeout=15_000)
    offline.start_simulator()
    expect(dot).to_have_class(re.compile(r"\bon\b"), timeout=40_000)
    expect(page.get_by_test_id("heartbeat-coherent")).to_have_text("Cohérent")
