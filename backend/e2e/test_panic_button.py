"""Bout en bout : « Tout couper » depuis la barre de statut sur un broker paper de dev (une position protégée par OCO,
un ordre limite) : le dialogue dit ce qui sera fait, « Annuler » ne touche à rien ; confirmé, le rapport s'affiche,
la position est vendue et les ordres annulés ; « Reprendre les entrées » rouvre les achats."""

import pytest
from playwright.sync_api import expect

SETUP = """
from datetime import timedelta
from decimal import Decimal
from django.utils import timezone
from apps.accounts.models import User
from apps.alerts.models import AlertEvent
from apps.brokers.models import Broker
from apps.market_data.models import Candle
from apps.orders.request import OrderRequest
from apps.orders.services import place_order
dev = User.objects.get(username="dev")
broker = Broker.objects.create(user=dev, name="Paper panique", exchange="paper")
start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
Candle.objects.update_or_create(exchange="binance", symbol="BTC/USDT", timeframe="1m", open_time=start, defaults=dict(
    close_time=start + timedelta(seconds=59.999), open=50000, high=50000, low=50000, close=50000, volume=1))
last_alert = AlertEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
order = dict(user=dev, broker_id=broker.pk, symbol="BTC/USDT", side="buy", quantity=Decimal("0.01"), source="manual")
place_order(OrderRequest(order_type="market", stop_loss=Decimal("45000"), take_profit=Decimal("55000"), **order))
place_order(OrderRequest(order_type="limit", price=Decimal("40000"), **order))
print(broker.pk, last_alert)
"""
STATE = """
from apps.orders.models import Position, Trade
print(Trade.objects.filter(broker_id={broker}, status__in=("pending", "open", "partially_filled")).count(),
      Position.objects.filter(broker_id={broker}, status__in=("opening", "open", "closing")).count())
"""
# Rien ne reste pour les autres tests : ni ce broker, ni ses ordres, ni les alertes qu'il a produites.
TEARDOWN = """
from apps.alerts.models import AlertEvent
from apps.brokers.models import Broker, PaperOrder
from apps.orders.models import Position, Trade
from apps.panic.models import CutRun, EntryHalt
EntryHalt.objects.filter(user__username="dev").delete()
CutRun.objects.filter(user__username="dev").delete()
Position.objects.filter(broker_id={broker}).delete()
Trade.objects.filter(broker_id={broker}).delete()
PaperOrder.objects.filter(broker_id={broker}).delete()
Broker.objects.filter(pk={broker}).delete()
AlertEvent.objects.filter(pk__gt={last_alert}).delete()
"""


@pytest.fixture
def paper_holdings(dev_app):
    broker, last_alert = dev_app.manage("shell", "-c", SETUP).split()
    yield int(broker)
    dev_app.manage("shell", "-c", TEARDOWN.format(broker=broker, last_alert=last_alert))


def left(dev_app, broker: int) -> list[str]:
    return dev_app.manage("shell", "-c", STATE.format(broker=broker)).split()


def test_the_button_asks_then_cuts_and_shows_the_report(dev_app, paper_holdings, page):
    broker = paper_holdings
    page.goto(dev_app.url + "/")
    page.get_by_test_id("panic-button").click()
    dialog = page.get_by_test_id("panic-dialog")
    expect(dialog).to_contain_text("Tout couper ?")
    page.get_by_test_id("panic-broker").select_option(str(broker))
    row = page.get_by_test_id(f"panic-broker-{broker}")
    expect(row.locator("td")).to_have_text(["Paper panique", "0", "3", "1"])
    expect(page.get_by_test_id("panic-plan")).to_contain_text("vendre au marché 1 position(s) d'Aristobot")

    page.get_by_test_id("panic-cancel").click()
    expect(dialog).to_have_count(0)
    assert left(dev_app, broker) == ["3", "1"]

    page.get_by_test_id("panic-button").click()
    page.get_by_test_id("panic-broker").select_option(str(broker))
    expect(page.get_by_test_id(f"panic-broker-{broker}").locator("td")).to_have_text(["Paper panique", "0", "3", "1"])
    page.get_by_test_id("panic-confirm").click()

    expect(page.get_by_test_id("panic-summary")).to_have_text(
        "Tout couper (Paper panique) : 0 activation(s) suspendue(s), 1 ordre(s) annulé(s), 1 position(s) vendue(s) "
        "au marché ; entrées des webhooks arrêtées. Reste : rien.",
        timeout=10_000,
    )
    assert left(dev_app, broker) == ["0", "0"]
    page.get_by_test_id("panic-close").click()
    resume = page.get_by_test_id("panic-resume")
    expect(resume).to_have_attribute("title", "Entrées arrêtées : Paper panique")
    resume.click()
    expect(resume).to_have_count(0)
