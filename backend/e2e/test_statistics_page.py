"""Bout en bout, page Statistiques : positions clôturées d'une stratégie et d'un webhook sur un broker paper,
instantanés de solde avec un trou ; les deux courbes, le tableau (bons comptes) et le CSV qui lui correspond."""

import csv
import io

import pytest
from playwright.sync_api import expect

SETUP = """
from datetime import timedelta
from decimal import Decimal
from django.utils import timezone
from apps.accounts.models import User
from apps.brokers.models import Broker
from apps.orders.models import Position
from apps.stats.models import BalanceSnapshot
from apps.webhooks.models import Webhook
dev = User.objects.get(username="dev")
broker = Broker.objects.create(user=dev, name="Paper stats", exchange="paper")
other = Broker.objects.create(user=dev, name="Paper démo", exchange="paper")
signal = Webhook.objects.create(user=dev, body=b"{}", body_sha256="stats-e2e", signal={"comment": "RSI 4h"})
now = timezone.now()
trades = [("strategy", 10, "100"), ("strategy", 9, "-50"), ("strategy", 8, "30"), ("webhook", 7, "40")]
for source, days, pnl in [*trades, ("webhook", 6, "-10")]:
    Position.objects.create(
        user=dev, broker=broker, symbol="BTC/USDT", source=source, status=Position.Status.CLOSED,
        active_strategy_id=7 if source == "strategy" else None, webhook=signal if source == "webhook" else None,
        entry_cost=Decimal("1000"), sold_quantity=Decimal("0.02"), entry_price=Decimal("50000"),
        exit_price=Decimal("50100"), exit_reason="signal", fees=Decimal("1"), realized_pnl=Decimal(pnl),
        closed_at=now - timedelta(days=days),
    )
snapshots = {broker: ("10000", "10100", "10050", "10080"), other: ("500", "500", "600", "600")}
for account, totals in snapshots.items():
    for days, total in zip((12, 11, 9, 8), totals):  # le jour -10 manque : un trou
        BalanceSnapshot.objects.create(
            broker=account, taken_at=now - timedelta(days=days), reason="hourly", total_usd=Decimal(total)
        )
"""
TEARDOWN = """
from apps.brokers.models import Broker
from apps.orders.models import Position
from apps.webhooks.models import Webhook
Position.objects.filter(broker__name="Paper stats").delete()
Broker.objects.filter(name__in=["Paper stats", "Paper démo"]).delete()
Webhook.objects.filter(body_sha256="stats-e2e").delete()
"""


@pytest.fixture
def stats_world(dev_app):
    dev_app.manage("shell", "-c", SETUP)
    yield
    dev_app.manage("shell", "-c", TEARDOWN)


def row(page, group: str, name: str):
    return page.get_by_test_id("stats-row").filter(has_text=group).filter(has_text=name)


def test_the_page_shows_both_curves_the_balance_gap_and_the_right_counts(dev_app, stats_world, page):
    page.goto(dev_app.url + "/statistiques")

    balance = page.get_by_test_id("stats-balance-chart")
    expect(balance).to_have_attribute("data-lines", "3")  # le total et les deux brokers
    expect(balance).to_have_attribute("data-gaps", "1")
    assert balance.locator("canvas").count() > 0
    expect(page.get_by_test_id("stats-balance-change-usd")).to_have_text("+180 USD")
    expect(page.get_by_test_id("stats-balance-change-pct")).to_have_text("(+1,71 %)")
    expect(page.get_by_test_id("stats-balance-broker")).to_have_count(2)
    for curves, title in (("stats-strategies", "Activation n° 7 (USDT)"), ("stats-webhooks", "RSI 4h (USDT)")):
        chart = page.get_by_test_id(f"{curves}-chart")
        expect(chart).to_have_attribute("data-lines", "1")
        assert chart.locator("canvas").count() > 0
        expect(page.get_by_test_id(f"{curves}-curve")).to_have_text(title)

    trades = (
        ("Global", "Tous les trades", "5"),
        ("Source", "Stratégie", "3"),
        ("Source", "Webhook", "2"),
        ("Stratégie", "Activation n° 7", "3"),
        ("Webhook", "RSI 4h", "2"),
        ("Broker", "Paper stats", "5"),
    )
    for group, name, count in trades:
        expect(row(page, group, name).get_by_test_id("stats-cell-total_trades")).to_have_text(count)
    expect(row(page, "Stratégie", "Activation n° 7").get_by_test_id("stats-cell-realized_pnl")).to_have_text("80")
    expect(row(page, "Webhook", "RSI 4h").get_by_test_id("stats-cell-win_rate")).to_have_text("50,00 %")

    rows = list(
        csv.DictReader(
            io.StringIO(
                page.request.get(dev_app.url + page.get_by_test_id("stats-csv").get_attribute("href"))
                .body()
                .decode("utf-8-sig")
            ),
            delimiter=";",  # export pour Excel français
        )
    )
    assert sorted(r["source"] for r in rows) == ["strategy"] * 3 + ["webhook"] * 2

    page.get_by_test_id("stats-period-7d").click()  # la perte du webhook, il y a 6 jours, seule
    expect(row(page, "Global", "Tous les trades").get_by_test_id("stats-cell-total_trades")).to_have_text("1")
    expect(page.get_by_test_id("stats-strategies-empty")).to_have_text("Aucun trade clôturé sur la période.")
    expect(page.get_by_test_id("stats-webhooks-curve")).to_have_text("RSI 4h (USDT)")
    expect(page.get_by_test_id("stats-balance-empty")).to_be_visible()

    page.get_by_test_id("stats-period-custom").click()
    page.get_by_test_id("stats-from").fill("2020-01-01T00:00")
    page.get_by_test_id("stats-to").fill("2020-02-01T00:00")
    expect(page.get_by_test_id("stats-empty")).to_have_text("Aucun trade clôturé sur la période.")
