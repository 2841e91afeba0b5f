"""Bout en bout, page Trading manuel sur un broker paper : achat au marché confirmé, portefeuille et historique à jour ;
ordre limite placé puis annulé."""

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


def asset_total(page, asset: str):
    return page.locator(f"[data-testid=portfolio-row][data-asset={asset}]").get_by_test_id("portfolio-asset-total")


def choose_btc(page):
    page.get_by_test_id("pair-item").filter(has_text="BTC/USDT").click()
    expect(page.get_by_test_id("ticket-last-price")).to_have_text("50000")


def test_market_buy_of_001_btc_is_confirmed_and_shows_in_portfolio_and_history(dev_app, paper_trading, page):
    page.goto(dev_app.url + "/trading-manuel")
    expect(page.get_by_test_id("trading-broker").locator("option:checked")).to_contain_text("Paper trading")
    expect(asset_total(page, "USDT")).to_have_text("10000")
    history = page.get_by_test_id("trade-row")
    before = history.count()
    choose_btc(page)

    page.get_by_test_id("ticket-quantity").fill("0.01")
    expect(page.get_by_test_id("ticket-amount")).to_have_value("500")
    page.get_by_test_id("ticket-buy").click()
    expect(page.get_by_test_id("confirm-summary")).to_have_text(
        "Acheter BTC/USDT : 0.01 BTC au marché sur Paper trading (≈ 500 USDT)."
    )
    page.get_by_test_id("confirm-yes").click()

    # Comme Binance spot, l'achat paie ses frais en BTC.
    expect(page.get_by_test_id("ticket-result")).to_have_text(
        "Achat exécuté : 0.01 BTC à 50000 USDT (frais 0.00001 BTC)."
    )
    expect(asset_total(page, "BTC")).to_have_text("0.00999")
    expect(asset_total(page, "USDT")).to_have_text("9500")
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
        "Ordre limite placé : 0.01 BTC à 45000 USDT, en attente d'exécution."
    )
    orders = page.get_by_test_id("open-order-row")
    expect(orders).to_have_count(1)
    expect(orders.first).to_contain_text("45000")
    expect(free_usdt).not_to_have_text(before)  # fonds réservés

    orders.first.get_by_test_id("order-cancel").click()
    orders.first.get_by_test_id("order-cancel-confirm").click()

    expect(orders).to_have_count(0)
    expect(page.get_by_test_id("trade-row").first.get_by_test_id("trade-status")).to_have_text("annulé")
    expect(free_usdt).to_have_text(before)


def test_the_browser_refuses_an_empty_quantity_before_asking(dev_app, paper_trading, page):
    page.goto(dev_app.url + "/trading-manuel")
    choose_btc(page)

    page.get_by_test_id("ticket-sell").click()

    expect(page.get_by_test_id("ticket-problems")).to_have_text("Saisissez une quantité ou un montant positif.")
    expect(page.get_by_test_id("confirm-dialog")).to_have_count(0)
