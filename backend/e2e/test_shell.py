"""Bout en bout de la fondation : mode dev, menu, thème, connexion, état WebSocket."""

import re

from playwright.sync_api import expect

MENU = {
    "heartbeat": "Heartbeat",
    "trading-manuel": "Trading manuel",
    "trading-bot": "Trading BOT",
    "strategies": "Stratégies",
    "backtest": "Backtest",
    "webhooks": "Webhooks",
    "statistiques": "Statistiques",
    "services": "Services",
    "mon-compte": "Mon compte",
}


def test_dev_mode_lands_in_the_app_and_every_menu_entry_opens_its_page(dev_app, page):
    page.goto(dev_app.url)
    expect(page.get_by_test_id("current-user")).to_have_text(re.compile("dev"))
    expect(page).to_have_url(re.compile("/heartbeat$"))
    for route, title in MENU.items():
        page.get_by_test_id(f"nav-{route}").click()
        expect(page).to_have_url(re.compile(f"/{route}$"))
        expect(page.get_by_test_id("page-title")).to_have_text(title)
    expect(page.get_by_test_id("ws-state")).to_have_text("connecté")


def test_dev_mode_acts_as_another_user_then_comes_back_to_dev(dev_app, page):
    page.goto(dev_app.url + "/mon-compte")
    expect(page.get_by_test_id("current-user")).to_have_text("dev")
    page.get_by_test_id("act-as-link").click()
    expect(page).to_have_url(re.compile("/login"))
    page.get_by_test_id("act-as-dac").click()
    expect(page).to_have_url(re.compile("/mon-compte$"))
    expect(page.get_by_test_id("current-user")).to_have_text("dac")
    expect(page.get_by_test_id("acting-as")).to_have_text("dac")
    expect(page.get_by_test_id("ws-state")).to_have_text("connecté")
    page.reload()  # le choix tient à la session
    expect(page.get_by_test_id("acting-as")).to_have_text("dac")
    page.get_by_test_id("back-to-dev").click()
    expect(page.get_by_test_id("current-user")).to_have_text("dev")
    expect(page.get_by_test_id("acting-as")).to_have_count(0)


def test_theme_change_survives_a_reload(dev_app, page):
    page.goto(dev_app.url + "/mon-compte")
    html = page.locator("html")
    expect(html).to_have_attribute("data-theme", "dark")
    try:
        page.get_by_test_id("theme-select").select_option("light")
        page.get_by_test_id("preferences-save").click()
        expect(page.get_by_test_id("preferences-message")).to_contain_text("enregistr")
        expect(html).to_have_attribute("data-theme", "light")
        page.reload()
        expect(html).to_have_attribute("data-theme", "light")
        expect(page.get_by_test_id("theme-select")).to_have_value("light")
    finally:
        dev_app.manage(
            "shell",
            "-c",
            "from apps.accounts.models import User; User.objects.filter(username='dev').update(theme='dark')",
        )


def test_without_dev_mode_login_is_required(prod_app, page):
    page.goto(prod_app.url + "/trading-manuel")
    expect(page).to_have_url(re.compile("/login"))
    page.get_by_test_id("login-username").fill("dac")
    page.get_by_test_id("login-password").fill("mauvais")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_have_text("Nom d'utilisateur ou mot de passe incorrect.")
    page.get_by_test_id("login-password").fill("aristobot")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("current-user")).to_have_text(re.compile("dac"))
    expect(page.get_by_test_id("ws-state")).to_have_text("connecté")
    page.get_by_test_id("logout-button").click()
    expect(page).to_have_url(re.compile("/login"))
    page.goto(prod_app.url + "/mon-compte")
    expect(page).to_have_url(re.compile("/login"))


def test_status_bar_shows_disconnected_while_the_backend_is_down(dev_app, page):
    page.goto(dev_app.url)
    state = page.get_by_test_id("ws-state")
    expect(state).to_have_text("connecté")
    dev_app.backend.stop()
    try:
        expect(state).to_have_text("déconnecté")
    finally:
        dev_app.backend.start()
    expect(state).to_have_text("connecté", timeout=15_000)
    expect(page.get_by_test_id("heartbeat-dot")).to_have_class(re.compile(r"\boff\b"))
