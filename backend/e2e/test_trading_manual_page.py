"""Bout en bout, page Trading manuel sur un broker paper : achat au marché confirmé, portefeuille et historique à jour ;
ordre limite placé puis annulé."""

import re

import pytest
from playwright.sync_api import expect

# Broker paper par défaut de dev, ses paires dans la table partagée, et un prix BTC/USDT de 50 000.
SETUP = """
from datetime import timedelta
from django.utils import timezone
from apps.accounts.models import User
from apps.brokers.models import Broker
from apps.brokers.paper.markets import paper_markets
from apps.market_data.models import Candle
from apps.market_data.services import save_markets
dev = User.objects.get(username="dev")
broker, _ = Broker.objects.get_or_create(user=dev, name="Paper trading", exchange="paper")
dev.default_broker = broker
dev.save()
save_markets("paper", paper_markets())
start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
Candle.objects.update_or_create(exchange="binance", symbol="BTC/USDT", timeframe="1m", open_time=start, defaults=dict(
    close_time=start + timedelta(seconds=59.999), open=50000, high=50000, low=50000, close=50000, volume=1))
"""
# Les paires paper ajoutées ici fausseraient le décompte « 2 ajoutées » de la page Mon compte.
TEARDOWN = """
from apps.accounts.models import User
from apps.market_data.models import Market
Market.objects.filter(exchange="paper").delete()
User.objects.filter(username="dev").update(default_broker=None)
"""


@pytest.fixture
def paper_trading(dev_app):
    dev_app.manage("shell", "-c", SETUP)
    yield
    dev_app.manage("shell", "-c", TEARDOWN)


def fr(number: str) -> str:
    """Un nombre tel que l'interface l'écrit : milliers séparés par une espace fine insécable, virgule décimale."""
    whole, _, fraction = number.partition(".")
    sign = whole[0] if whole[0] in "+-" else ""
    digits = whole.lstrip("+-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + "\u202f".join(groups) + ("," + fraction if fraction else "")


def asset_total(page, asset: str):
    return page.locator(f"[data-testid=portfolio-row][data-asset={asset}]").get_by_test_id("portfolio-asset-total")


def choose_btc(page):
    page.get_by_test_id("pair-item").filter(has_text="BTC/USDT").click()
    expect(page.get_by_test_id("ticket-last-price")).to_have_text(fr("50000"))


def test_market_buy_of_001_btc_is_confirmed_and_shows_in_portfolio_and_history(dev_app, paper_trading, page):
    page.goto(dev_app.url + "/trading-manuel")
    expect(page.get_by_test_id("trading-broker").locator("option:checked")).to_contain_text("Paper trading")
    expect(asset_total(page, "USDT")).to_have_text(fr("10000"))
    history = page.get_by_test_id("trade-row")
    before = history.count()
    choose_btc(page)

    page.get_by_test_id("ticket-quantity").fill("0.01")
    expect(page.get_by_test_id("ticket-amount")).to_have_value("500")
    page.get_by_test_id("ticket-buy").click()
    expect(page.get_by_test_id("confirm-summary")).to_have_text(
        "Acheter BTC/USDT : 0,01 BTC au marché sur Paper trading (≈ 500 USDT)."
    )
    page.get_by_test_id("confirm-yes").click()

    # Comme Binance spot, l'achat paie ses frais en BTC.
    expect(page.get_by_test_id("ticket-result")).to_have_text(
        f"Achat exécuté : 0,01 BTC à {fr('50000')} USDT (frais 0,00001 BTC)."
    )
    expect(asset_total(page, "BTC")).to_have_text(fr("0.00999"))
    expect(asset_total(page, "USDT")).to_have_text(fr("9500"))
    expect(history).to_have_count(before + 1)
    expect(history.first).to_contain_text("BTC/USDT")
    expect(history.first.get_by_test_id("trade-status")).to_have_text("exécuté")


def test_a_limit_order_rests_in_open_orders_then_is_cancelled(dev_app, paper_trading, page):
    page.goto(dev_app.url + "/trading-manuel")
    choose_btc(page)
    free_usdt = page.locator("[data-testid=portfolio-row][data-asset=USDT] td").nth(1)
    before = free_usdt.inner_text()

    page.get_by_test_id("ticket-type-limit").check()
    page.get_by_test_id("ticket-price").fill("45000")
    page.get_by_test_id("ticket-amount").fill("450")
    expect(page.get_by_test_id("ticket-quantity")).to_have_value("0.01")
    page.get_by_test_id("ticket-buy").click()
    page.get_by_test_id("confirm-yes").click()

    expect(page.get_by_test_id("ticket-result")).to_have_text(
        f"Ordre limite placé : 0,01 BTC à {fr('45000')} USDT, en attente d'exécution."
    )
    orders = page.get_by_test_id("open-order-row")
    expect(orders).to_have_count(1)
    expect(orders.first).to_contain_text(fr("45000"))
    expect(free_usdt).not_to_have_text(before)  # fonds réservés

    orders.first.get_by_test_id("order-cancel").click()
    orders.first.get_by_test_id("order-cancel-confirm").click()

    expect(orders).to_have_count(0)
    expect(page.get_by_test_id("trade-row").first.get_by_test_id("trade-status")).to_have_text("annulé")
    expect(free_usdt).to_have_text(before)
    expect(page.get_by_test_id("ticket-result")).to_have_text(
        f"Ordre limite annulé : 0,01 BTC à {fr('45000')} USDT (rien exécuté)."
    )


def test_the_browser_refuses_an_order_below_the_market_minimum_and_a_stop_above_the_price(dev_app, paper_trading, page):
    page.goto(dev_app.url + "/trading-manuel")
    choose_btc(page)
    history = page.get_by_test_id("trade-row")
    before = history.count()

    page.get_by_test_id("ticket-amount").fill("4")
    page.get_by_test_id("ticket-buy").click()
    expect(page.get_by_test_id("ticket-problems")).to_have_text(
        "Montant 4 USDT inférieur au minimum de 5 USDT pour BTC/USDT."
    )

    page.get_by_test_id("ticket-amount").fill("100")
    page.get_by_test_id("ticket-stop-loss").fill("51000")
    page.get_by_test_id("ticket-take-profit").fill("49000")
    page.get_by_test_id("ticket-buy").click()
    expect(page.get_by_test_id("ticket-problems").locator("li")).to_have_text(
        [
            f"Le stop-loss ({fr('51000')}) doit être sous le prix ({fr('50000')}).",
            f"Le take-profit ({fr('49000')}) doit être au-dessus du prix ({fr('50000')}).",
        ]
    )
    expect(page.get_by_test_id("confirm-dialog")).to_have_count(0)
    expect(history).to_have_count(before)  # rien n'est parti au serveur


def test_the_browser_refuses_an_empty_quantity_before_asking(dev_app, paper_trading, page):
    page.goto(dev_app.url + "/trading-manuel")
    choose_btc(page)

    page.get_by_test_id("ticket-sell").click()

    expect(page.get_by_test_id("ticket-problems")).to_have_text("Saisissez une quantité ou un montant positif.")
    expect(page.get_by_test_id("confirm-dialog")).to_have_count(0)


# Soldes tels que Binance les rend (jusqu'à 18 décimales) sur le broker paper de dev ; ETH valorisé à 3123.456789.
LONG_BALANCES = """
from datetime import timedelta
from decimal import Decimal
from django.utils import timezone
from apps.brokers.models import Broker, PaperBalance
from apps.market_data.models import Candle
broker = Broker.objects.get(user__username="dev", name="Paper trading")
for currency, free, used in [("USDT", "9781.8512504109851554", "0.0999999992702446"),
                             ("BTC", "0.123456789012345678", "0"), ("ETH", "12.345678912345678912", "0.5")]:
    PaperBalance.objects.update_or_create(broker=broker, currency=currency,
                                          defaults=dict(free=Decimal(free), used=Decimal(used)))
start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
Candle.objects.update_or_create(exchange="binance", symbol="ETH/USDT", timeframe="1m", open_time=start, defaults=dict(
    close_time=start + timedelta(seconds=59.999), open=3123.456789, high=3123.456789, low=3123.456789,
    close=3123.456789, volume=1))
"""
# Le broker repart de son solde de départ (10 000 USDT) au prochain usage.
RESET_BALANCES = """
from apps.brokers.models import PaperBalance
PaperBalance.objects.filter(broker__user__username="dev", broker__name="Paper trading").delete()
"""


@pytest.fixture
def long_balances(dev_app, paper_trading):
    dev_app.manage("shell", "-c", LONG_BALANCES)
    yield
    dev_app.manage("shell", "-c", RESET_BALANCES)


def overflow(page, selector: str) -> dict:
    """Débordement horizontal (en px) d'un élément et de la page ; 0 quand tout tient."""
    return page.evaluate(
        """(selector) => {
            const card = document.querySelector(selector)
            const box = card.getBoundingClientRect()
            const inner = Math.max(...[...card.querySelectorAll('*')].map((el) => el.getBoundingClientRect().right))
            return { card: Math.max(0, card.scrollWidth - card.clientWidth, inner - box.right),
                     page: Math.max(0, document.documentElement.scrollWidth - window.innerWidth) }
        }""",
        selector,
    )


@pytest.mark.parametrize("width", [1280, 1600])
def test_long_balances_are_rounded_and_the_portfolio_fits_in_its_card(dev_app, long_balances, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(dev_app.url + "/trading-manuel")

    usdt = page.locator("[data-testid=portfolio-row][data-asset=USDT] td")
    expect(usdt).to_have_text(["USDT", *map(fr, ["9781.85125041", "0.1", "9781.95125041", "9781.95"])])
    eth = page.locator("[data-testid=portfolio-row][data-asset=ETH] td")
    expect(eth).to_have_text(["ETH", *map(fr, ["12.34567891", "0.5", "12.84567891", "40122.92"])])
    expect(page.get_by_test_id("portfolio-total")).to_contain_text(" USD")
    assert overflow(page, "[data-testid=portfolio]") == {"card": 0, "page": 0}


# Un broker paper neuf (10 000 USDT, aucune position), broker par défaut de dev le temps du test.
OWN_BROKER = """
from apps.accounts.models import User
from apps.brokers.models import Broker
dev = User.objects.get(username="dev")
broker, _ = Broker.objects.get_or_create(user=dev, name="Paper positions", exchange="paper")
dev.default_broker = broker
dev.save()
"""
# Dernier prix BTC/USDT (bougie 1m de la minute écoulée, comme le heartbeat l'enregistrerait).
BTC_PRICE = """
from datetime import timedelta
from django.utils import timezone
from apps.market_data.models import Candle
start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
Candle.objects.filter(exchange="binance", symbol="BTC/USDT", open_time__gte=start - timedelta(minutes=5)).delete()
Candle.objects.create(exchange="binance", symbol="BTC/USDT", timeframe="1m", open_time=start,
    close_time=start + timedelta(seconds=59.999), open={price}, high={price}, low={price}, close={price}, volume=1)
"""


@pytest.fixture
def own_broker(dev_app, paper_trading):
    dev_app.manage("shell", "-c", OWN_BROKER)
    yield
    dev_app.manage("shell", "-c", BTC_PRICE.format(price=50000))


def test_a_buy_with_stop_loss_and_take_profit_opens_a_protected_position_closed_by_hand(dev_app, own_broker, page):
    page.goto(dev_app.url + "/trading-manuel")
    expect(page.get_by_test_id("trading-broker").locator("option:checked")).to_contain_text("Paper positions")
    choose_btc(page)

    page.get_by_test_id("ticket-quantity").fill("0.01")
    page.get_by_test_id("ticket-stop-loss").fill("45000")
    page.get_by_test_id("ticket-take-profit").fill("60000")
    page.get_by_test_id("ticket-buy").click()
    expect(page.get_by_test_id("confirm-summary")).to_have_text(
        "Acheter BTC/USDT : 0,01 BTC au marché sur Paper positions (≈ 500 USDT) ; "
        f"stop-loss {fr('45000')} USDT, take-profit {fr('60000')} USDT."
    )
    page.get_by_test_id("confirm-yes").click()
    expect(page.get_by_test_id("ticket-result")).to_have_text(
        f"Achat exécuté : 0,01 BTC à {fr('50000')} USDT (frais 0,00001 BTC)."
    )

    # La position détient la quantité nette des frais payés en BTC, protégée par un OCO chez l'exchange paper.
    row = page.get_by_test_id("open-position-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("position-quantity")).to_have_text(fr("0.00999"))
    expect(row.get_by_test_id("position-entry")).to_have_text(fr("50000"))
    expect(row.get_by_test_id("position-stop-loss")).to_have_text(fr("45000"))
    expect(row.get_by_test_id("position-take-profit")).to_have_text(fr("60000"))
    expect(row.get_by_test_id("position-protection")).to_contain_text("sur l'exchange (OCO)")
    expect(row.get_by_test_id("position-price")).to_have_text(fr("50000"))

    dev_app.manage("shell", "-c", BTC_PRICE.format(price=51000))
    page.reload()
    expect(row.get_by_test_id("position-price")).to_have_text(fr("51000"))
    expect(row.get_by_test_id("position-unrealized")).to_have_text("+9,99 USDT +2,00 %")
    expect(row.get_by_test_id("position-unrealized")).to_have_class("num text-success")

    row.get_by_test_id("position-close").click()
    expect(page.get_by_test_id("close-summary")).to_have_text(
        "Vendre 0,00999 BTC de BTC/USDT au marché sur Paper positions ; "
        "sa protection (sur l'exchange (OCO)) est annulée d'abord."
    )
    page.get_by_test_id("confirm-yes").click()

    expect(row).to_have_count(0)
    closed = page.get_by_test_id("closed-position-row")
    expect(closed).to_have_count(1)
    expect(closed.get_by_test_id("closed-position-quantity")).to_have_text(fr("0.00999"))
    expect(closed.get_by_test_id("closed-position-exit")).to_have_text(fr("51000"))
    expect(closed.get_by_test_id("closed-position-reason")).to_have_text("clôture manuelle")
    # 0.00999 BTC vendus 509.49 USDT moins 0.50949 de frais, pour 500 USDT dépensés : +8.98 USDT.
    expect(closed.get_by_test_id("closed-position-pnl")).to_contain_text("+8,98 USDT")
    # Toute la position vendue, rien d'autre : plus de BTC, et les USDT de la vente (10000 - 500 + 508.98051).
    expect(page.locator("[data-testid=portfolio-row][data-asset=BTC]")).to_have_count(0)
    expect(asset_total(page, "USDT")).to_have_text(fr("10008.98051"))


# Une vague du heartbeat : la bougie 1m suivante de BTC/USDT clôt à 51 000 (prix paper) et est publiée aux abonnés.
HEARTBEAT_WAVE = """
from datetime import timedelta
from apps.core.channels import HEARTBEAT_GROUP, candles_event, publish_sync
from apps.market_data.models import Candle
last = Candle.objects.filter(exchange="binance", symbol="BTC/USDT", timeframe="1m").latest("open_time")
start = last.open_time + timedelta(minutes=1)
end = start + timedelta(seconds=59.999)
Candle.objects.update_or_create(exchange="binance", symbol="BTC/USDT", timeframe="1m", open_time=start, defaults=dict(
    close_time=end, open=51000, high=51000, low=51000, close=51000, volume=1))
publish_sync(HEARTBEAT_GROUP, candles_event([dict(exchange="binance", symbol="BTC/USDT", timeframe="1m",
    open_time=start.isoformat(), close_time=end.isoformat(), open="51000", high="51000", low="51000", close="51000",
    volume="1")]))
"""
# Un achat qui ne vient pas de cette page (un webhook) : 0,01 BTC au marché sur le broker paper de dev.
ORDER_ELSEWHERE = """
from decimal import Decimal
from apps.accounts.models import User
from apps.brokers.models import Broker
from apps.orders import books
from apps.orders.request import OrderRequest
from apps.orders.services import place_order
dev = User.objects.get(username="dev")
broker = Broker.objects.get(user=dev, name="Paper trading")
trade = place_order(OrderRequest(user=dev, broker_id=broker.id, symbol="BTC/USDT", side="buy", order_type="market",
    quantity=Decimal("0.01"), source="webhook", book=books.webhook("e2e")))
print(trade.status)
"""
# Retour au prix de 50 000 et au solde de départ ; l'achat du « webhook » et sa position retirés.
FORGET_ELSEWHERE = """
from apps.brokers.models import PaperBalance
from apps.market_data.models import Candle
from apps.orders.models import Position, Trade
Candle.objects.filter(exchange="binance", symbol="BTC/USDT", close=51000).delete()
mine = dict(broker__user__username="dev", broker__name="Paper trading", source="webhook")
Trade.objects.filter(**mine).delete()
Position.objects.filter(**mine).delete()
PaperBalance.objects.filter(broker__user__username="dev", broker__name="Paper trading").delete()
"""


@pytest.fixture
def fresh_paper(dev_app, paper_trading):
    dev_app.manage("shell", "-c", RESET_BALANCES)
    yield
    dev_app.manage("shell", "-c", FORGET_ELSEWHERE)


def test_last_price_and_portfolio_follow_the_heartbeat_and_orders_from_elsewhere(dev_app, fresh_paper, page):
    page.goto(dev_app.url + "/trading-manuel")
    expect(page.get_by_test_id("ws-state")).to_have_text("connecté")
    choose_btc(page)
    expect(asset_total(page, "USDT")).to_have_text(fr("10000"))

    dev_app.manage("shell", "-c", HEARTBEAT_WAVE)
    expect(page.get_by_test_id("ticket-last-price")).to_have_text(fr("51000"))

    assert dev_app.manage("shell", "-c", ORDER_ELSEWHERE).strip() == "filled"
    expect(asset_total(page, "BTC")).to_have_text(fr("0.00999"))
    expect(asset_total(page, "USDT")).to_have_text(fr("9490"))
    position = page.get_by_test_id("open-position-row").filter(has_text="webhook")
    expect(position.get_by_test_id("position-price")).to_have_text(fr("51000"))
    expect(position.get_by_test_id("position-unrealized")).to_have_text(
        re.compile(r"^[+-]?\d+,\d\d USDT [+-]?\d+,\d\d %$")
    )


def test_the_page_reads_again_what_changed_while_its_websocket_was_cut(dev_app, fresh_paper, page):
    """Les messages publiés pendant une coupure (Redis, réseau) sont perdus : à la reconnexion, la page relit."""
    sockets = []

    def relay(socket):
        socket.connect_to_server()
        sockets.append(socket)

    page.route_web_socket(re.compile(r"/ws/$"), relay)
    page.goto(dev_app.url + "/trading-manuel")
    expect(page.get_by_test_id("ws-state")).to_have_text("connecté")
    choose_btc(page)
    history = page.get_by_test_id("trade-row")
    before = history.count()

    sockets[-1].close()
    expect(page.get_by_test_id("ws-state")).to_have_text("déconnecté")
    dev_app.manage("shell", "-c", HEARTBEAT_WAVE)
    assert dev_app.manage("shell", "-c", ORDER_ELSEWHERE).strip() == "filled"

    # Reconnexion (5 s) : historique, portefeuille et dernier prix relus, sans recharger la page.
    expect(page.get_by_test_id("ws-state")).to_have_text("connecté", timeout=15_000)
    assert len(sockets) == 2
    expect(history).to_have_count(before + 1)
    expect(asset_total(page, "BTC")).to_have_text(fr("0.00999"))
    expect(page.get_by_test_id("ticket-last-price")).to_have_text(fr("51000"))
    expect(page.get_by_test_id("open-position-row").filter(has_text="webhook")).to_have_count(1)
