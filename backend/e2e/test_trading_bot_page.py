"""Bout en bout de la page Trading BOT, hors ligne : simulateur Binance → run_heartbeat → run_trading_engine →
broker paper → Daphne → Chromium. Activer une stratégie, voir son trade, Vendre, Stop."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from e2e.servers import App, free_port, wait_port

# Une stratégie valide toujours en position, stop-loss et take-profit lointains.
STRATEGY_CODE = """
from aristobot.strategies import Strategy


class AlwaysIn(Strategy):
    def should_long(self):
        return True

    def calculate_position_size(self):
        return Decimal("100")

    def calculate_stop_loss(self):
        return self.price * Decimal("0.5")

    def calculate_take_profit(self):
        return self.price * Decimal("2")
"""
# Broker paper par défaut de dev, ses paires, la stratégie, et aucune bougie d'un module précédent (une bougie de
# 2024 ferait un trou jusqu'à maintenant dans la fenêtre de la stratégie : pas de décision).
SETUP = f"""
from apps.accounts.models import User
from apps.brokers.models import Broker
from apps.brokers.paper.markets import paper_markets
from apps.market_data.models import Candle
from apps.market_data.services import save_markets
from apps.strategies.models import Strategy
from apps.strategies.services.versions import record_version
dev = User.objects.get(username="dev")
broker, _ = Broker.objects.get_or_create(user=dev, name="Paper BOT", exchange="paper")
dev.default_broker = broker
dev.save()
save_markets("paper", paper_markets())
strategy, _ = Strategy.objects.update_or_create(
    user=dev, name="Toujours dedans", defaults=dict(timeframe="1m", is_valid=True, code={STRATEGY_CODE!r})
)
record_version(strategy=strategy, is_valid=True)
Candle.objects.all().delete()
"""
# Son propre broker paper (ses ordres et positions ne touchent pas les pages suivantes) ; l'activation s'arrête ;
# les bougies du simulateur (en avance sur l'heure, vitesse 20) partent : elles feraient le prix paper des suivantes.
TEARDOWN = """
from apps.accounts.models import User
from apps.market_data.models import Candle, Market
from apps.trading_engine.models import ActiveStrategy
ActiveStrategy.objects.filter(user__username="dev").update(is_active=False, state="stopped")
Market.objects.filter(exchange="paper").delete()
Candle.objects.all().delete()
User.objects.filter(username="dev").update(default_broker=None)
"""
STOPPED = """
from apps.trading_engine.models import ActiveStrategy
a = ActiveStrategy.objects.get(strategy__name="Toujours dedans", user__username="dev")
print(a.is_active, a.start_date.isoformat(), a.end_date.isoformat())
"""


@pytest.fixture(scope="module")
def live(e2e_env, spa_build, log_dir):
    """L'application avec heartbeat et moteur sur un simulateur local : une bougie 1m toutes les 3 s."""
    port = free_port()
    env = dict(e2e_env, BINANCE_WS_URL=f"ws://127.0.0.1:{port}", BINANCE_REST_URL=f"http://127.0.0.1:{port}")
    app = App("trading-bot-page", env, log_dir).start()
    app.manage("shell", "-c", SETUP)
    app.run("binance-simulator", "run_binance_simulator", "--port", str(port), "--speed", "20")
    wait_port(port, up=True)
    app.run("heartbeat-service", "run_heartbeat")
    app.run("trading-engine", "run_trading_engine")
    try:
        yield app
    finally:
        app.stop()  # heartbeat arrêté d'abord : plus aucune bougie du simulateur écrite après le ménage
        app.manage("shell", "-c", TEARDOWN)


def test_activate_on_paper_see_a_trade_sell_then_stop(live, page):
    page.goto(live.url + "/trading-bot")
    page.get_by_test_id("bot-strategy").select_option(label="Toujours dedans")
    expect(page.get_by_test_id("bot-timeframe")).to_have_value("1m")
    expect(page.get_by_test_id("bot-broker").locator("option:checked")).to_contain_text("Paper BOT")
    page.get_by_test_id("bot-pair-search").fill("BTC/USDT")
    page.get_by_test_id("bot-pair").select_option("BTC/USDT")
    end = datetime.now(UTC) + timedelta(days=1)  # fuseau de dev : UTC
    page.get_by_test_id("bot-end").fill(end.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_test_id("bot-amount").fill("0")
    page.get_by_test_id("bot-activate").click()
    expect(page.get_by_test_id("activation-problems")).to_contain_text("Saisissez un montant positif")
    page.get_by_test_id("bot-amount").fill("1000")
    page.get_by_test_id("bot-activate").click()
    expect(page.get_by_test_id("activation-done")).to_have_text("Toujours dedans activée sur BTC/USDT (Paper BOT).")

    card = page.get_by_test_id("activation-list").get_by_test_id("activation-card").filter(has_text="Toujours dedans")
    expect(card.get_by_test_id("activation-state")).to_have_text("en marche")
    expect(card.get_by_test_id("activation-market")).to_have_text("BTC/USDT · 1m · Paper BOT")
    # La première bougie 1m clôturée après l'activation : achat de 100 USDT, protégé.
    expect(card.get_by_test_id("bot-position-state")).to_have_text("Position ouverte", timeout=60_000)
    expect(card.get_by_test_id("bot-position-size")).to_contain_text("BTC à")
    expect(card.get_by_test_id("bot-position-protection")).to_contain_text("Protection :")
    expect(card.get_by_test_id("activation-decision")).to_be_visible()
    # Position au dernier prix (chiffres du serveur), relue à chaque vague du heartbeat ; le solde dit ce qui est
    # en position ; « Stratégie live » : une stratégie de dev tourne.
    price = card.get_by_test_id("bot-position-price")
    expect(price).to_have_text(re.compile(r"^\d[\d\u202f]*(,\d+)?$"))
    expect(card.get_by_test_id("bot-position-unrealized")).to_have_text(
        re.compile(r"^\s*[+-]?\d.* USDT \([+-]?\d+,\d\d %\)\s*$")
    )
    expect(card.get_by_test_id("activation-in-position")).to_have_text(
        re.compile(r"^\s*dont \d+,\d\d USDT en position\s*$")
    )
    first_price = price.inner_text()
    expect(price).not_to_have_text(first_price, timeout=30_000)  # le simulateur marche au hasard
    expect(page.get_by_test_id("strategy-live")).to_have_text("oui")

    card.get_by_test_id("activation-sell").click()
    expect(page.get_by_test_id("sell-summary")).to_contain_text("La stratégie continue de tourner.")
    page.get_by_test_id("confirm-yes").click()
    expect(card.get_by_test_id("bot-trade-row")).to_have_count(1, timeout=20_000)
    expect(card.get_by_test_id("bot-trade-reason")).to_have_text("clôture manuelle")
    expect(card.get_by_test_id("activation-state")).to_have_text("en marche")

    # Toujours en marche : elle rachète à la bougie suivante ; Stop avertit du trade en cours et le vend d'abord.
    expect(card.get_by_test_id("bot-position-state")).to_have_text("Position ouverte", timeout=60_000)
    card.get_by_test_id("activation-stop").click()
    expect(page.get_by_test_id("stop-open-trade")).to_contain_text("Un trade est en cours")
    expect(page.get_by_test_id("confirm-yes")).to_have_text("Vendre et arrêter")
    page.get_by_test_id("confirm-yes").click()

    stopped = page.get_by_test_id("stopped-activations")
    expect(stopped.locator("summary")).to_have_text("Stratégies arrêtées (1)")
    expect(card).to_have_count(0)
    stopped.locator("summary").click()
    stopped_card = stopped.get_by_test_id("activation-card").filter(has_text="Toujours dedans")
    expect(stopped_card.get_by_test_id("activation-state")).to_have_text("arrêtée")
    expect(stopped_card.get_by_test_id("bot-trade-row")).to_have_count(2)
    expect(stopped_card.get_by_test_id("bot-no-position")).to_be_visible()
    expect(page.get_by_test_id("strategy-live")).to_have_text("non")
    assert live.manage("shell", "-c", STOPPED).split() == [
        "False",
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+00:00",
    ]
