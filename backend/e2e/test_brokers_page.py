"""Bout en bout, page Mon compte : broker paper, test de connexion, défaut, MAJ paires, mode Testnet."""

import re

from playwright.sync_api import expect


def test_paper_broker_from_creation_to_markets_reload(dev_app, page):
    page.goto(dev_app.url + "/mon-compte")
    expect(page.get_by_test_id("ws-state")).to_have_text("connecté")

    page.get_by_test_id("broker-add").click()
    page.get_by_test_id("broker-exchange").select_option("paper")
    page.get_by_test_id("broker-name").fill("Démo paper")
    page.get_by_test_id("broker-description").fill("Sous-compte démo")
    page.get_by_test_id("broker-test").click()
    expect(page.get_by_test_id("broker-test-result")).to_contain_text("USDT : 10000")
    page.get_by_test_id("broker-save").click()
    expect(page.get_by_test_id("broker-modal")).to_have_count(0)

    row = page.get_by_test_id("broker-row").filter(has_text="Démo paper")
    expect(row).to_contain_text("PAPER")
    expect(row).to_contain_text("Sous-compte démo")
    notice = page.get_by_test_id("markets-notice")
    expect(notice).to_have_text("Paires de Paper : 2 ajoutées, 0 supprimées, 0 mises à jour")

    default = page.get_by_test_id("default-broker")
    default.select_option("")
    expect(row.get_by_test_id("broker-is-default")).to_have_text("non")
    default.select_option(label="Démo paper")
    expect(row.get_by_test_id("broker-is-default")).to_have_text("oui")

    row.get_by_test_id("broker-reload").click()
    expect(notice).to_have_text("Paires de Paper : 0 ajoutées, 0 supprimées, 0 mises à jour")

    row.get_by_test_id("broker-delete").click()
    row.get_by_test_id("broker-delete-confirm").click()
    expect(page.get_by_test_id("broker-row").filter(has_text="Démo paper")).to_have_count(0)


REAL_BROKER = (
    "from apps.accounts.models import User; from apps.brokers.models import Broker; "
    "Broker.objects.create(user=User.objects.get(username='dev'), name='Binance réel', exchange='binance', "
    "api_key='k', api_secret='s')"
)
NO_REAL_BROKER = "from apps.brokers.models import Broker; Broker.objects.filter(name='Binance réel').delete()"


def test_testnet_switch_inverts_the_status_bar_and_removes_the_red_border(dev_app, page):
    page.goto(dev_app.url + "/heartbeat")
    header, layout = page.get_by_test_id("app-header"), page.get_by_test_id("app-layout")
    switch = page.get_by_test_id("testnet-switch")
    expect(switch).to_be_enabled()
    expect(layout).not_to_have_class(re.compile(r"\bproduction\b"))  # aucun broker d'argent réel
    dev_app.manage("shell", "-c", REAL_BROKER)
    page.reload()
    expect(layout).to_have_class(re.compile(r"\bproduction\b"))
    production_background = header.evaluate("el => getComputedStyle(el).backgroundColor")
    try:
        switch.click()
        expect(page.get_by_test_id("testnet-label")).to_have_text("Mode Testnet")
        expect(header).to_have_class(re.compile(r"\btestnet\b"))
        expect(layout).not_to_have_class(re.compile(r"\bproduction\b"))
        assert header.evaluate("el => getComputedStyle(el).backgroundColor") != production_background
        page.reload()
        expect(page.get_by_test_id("testnet-label")).to_have_text("Mode Testnet")
    finally:
        dev_app.manage(
            "shell",
            "-c",
            "from apps.accounts.models import User; User.objects.filter(username='dev').update(testnet_mode=False)",
        )
        dev_app.manage("shell", "-c", NO_REAL_BROKER)
    page.reload()
    expect(page.get_by_test_id("testnet-label")).to_have_text("Production")
    expect(header).not_to_have_class(re.compile(r"\btestnet\b"))
