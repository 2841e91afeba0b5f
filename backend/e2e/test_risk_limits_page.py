"""Bout en bout : une limite d'exposition réglée dans Mon compte refuse l'achat du Trading manuel, avec sa raison,
et « limite atteinte » n'apparaît pas tant que la limite n'est qu'approchée."""

import pytest
from playwright.sync_api import expect

from e2e.test_trading_manual_page import SETUP, TEARDOWN

CLEANUP = """
from apps.risk.models import RiskLimits, RiskReach
RiskReach.objects.all().delete()
RiskLimits.objects.all().delete()
"""


@pytest.fixture
def paper_trading(dev_app):
    dev_app.manage("shell", "-c", SETUP)
    yield
    dev_app.manage("shell", "-c", CLEANUP + TEARDOWN)


def test_an_exposure_limit_set_in_my_account_refuses_the_manual_buy_with_its_reason(dev_app, paper_trading, page):
    page.goto(dev_app.url + "/mon-compte")
    page.get_by_test_id("broker-row").filter(has_text="Paper trading").get_by_test_id("broker-limits").click()
    limits = page.get_by_test_id("risk-limits")
    expect(limits.get_by_test_id("risk-state")).to_have_text("Aucune limite atteinte.")
    limits.get_by_test_id("risk-max_exposure").fill("100")
    limits.get_by_test_id("risk-save").click()
    expect(limits.get_by_test_id("risk-saved")).to_have_text("Limites enregistrées.")
    expect(limits.get_by_test_id("risk-max_exposure")).to_have_value("100")

    page.goto(dev_app.url + "/trading-manuel")
    page.get_by_test_id("pair-item").filter(has_text="BTC/USDT").click()
    page.get_by_test_id("ticket-quantity").fill("0.01")
    page.get_by_test_id("ticket-buy").click()
    page.get_by_test_id("confirm-yes").click()

    expect(page.get_by_test_id("ticket-result")).to_contain_text("Entrée refusée par les limites de risque.")
    expect(page.get_by_test_id("ticket-result")).to_contain_text(
        "exposition maximale de 100 (déjà 0, cet achat 500 : 500)"
    )
    expect(page.get_by_test_id("ticket-override")).to_be_visible()
    expect(page.get_by_test_id("risk-reached")).to_have_count(0)
