"""Bout en bout, alertes : canaux choisis dans Mon compte (gardés au rechargement, test refusé en français sans
SMTP), cloche mise à jour en direct par le WebSocket puis marquée lue, page Services."""

import re

from playwright.sync_api import expect

EMIT = """
from apps.accounts.models import User
from apps.alerts.events import emit
dev = User.objects.get(username="dev")
emit(kind="order_filled", user_id=dev.pk, text="Achat exécuté : 0.01 BTC/USDT sur Démo à 50000", key="e2e-bell")
"""


def test_channels_in_mon_compte_then_a_live_alert_in_the_bell_then_services(dev_app, page):
    page.goto(dev_app.url + "/mon-compte")
    expect(page.get_by_test_id("ws-state")).to_have_text("connecté")
    section = page.get_by_test_id("alert-settings")
    expect(section).to_contain_text("Pas de bot Telegram sur cette installation")
    expect(page.get_by_test_id("watchdog-state")).to_have_text("Chien de garde arrêté")  # pas de run_watchdog ici
    email_box = page.get_by_test_id("alert-order_filled-email")
    expect(email_box).to_be_checked()
    with page.expect_response(
        lambda response: "/api/alerts/settings/" in response.url and response.request.method == "PUT"
    ):
        email_box.uncheck()
    page.reload()
    expect(page.get_by_test_id("alert-order_filled-email")).not_to_be_checked()
    expect(page.get_by_test_id("alert-order_filled-app")).to_be_checked()
    page.get_by_test_id("alert-test-email").click()
    expect(page.get_by_test_id("alert-test-message")).to_have_text(
        "L'e-mail n'est pas configuré sur cette installation (EMAIL_HOST dans .env)."
    )

    expect(page.get_by_test_id("alert-unread")).to_have_count(0)
    dev_app.manage("shell", "-c", EMIT)
    expect(page.get_by_test_id("alert-unread")).to_have_text("1")
    page.get_by_test_id("alert-bell").click()
    item = page.get_by_test_id("alert-item").first
    expect(item).to_contain_text("Achat exécuté : 0.01 BTC/USDT sur Démo à 50000")
    expect(item).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} · Ordre exécuté"))
    page.get_by_test_id("alert-read-all").click()
    expect(page.get_by_test_id("alert-unread")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("alert-bell")).to_be_visible()
    expect(page.get_by_test_id("alert-unread")).to_have_count(0)

    page.get_by_test_id("nav-services").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Services")
    expect(page.get_by_test_id("no-incident")).to_have_text("Aucun incident.")
