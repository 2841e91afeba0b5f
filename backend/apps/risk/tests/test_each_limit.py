"""Chaque limite se déclenche (achat refusé, message en français avec ses chiffres) et se lève d'elle-même ou quand
l'utilisateur la relève ; les ventes ne sont jamais refusées. Exchange paper (prix = dernière bougie)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from apps.alerts.models import AlertEvent
from apps.orders import books
from apps.orders.models import Position, Trade
from apps.risk import figures, services, state
from apps.risk.assessment import assess
from apps.risk.models import RiskReach
from apps.stats.models import BalanceSnapshot
from apps.trading_engine.engine import TradingEngine

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def prices(candle):
    candle("50000")
    candle("2000", symbol="ETH/USDT")


def test_open_positions_limit_refuses_a_new_position_not_an_increase_nor_a_sale(
    paper_broker, prices, limits, buy, sell
):
    limits(paper_broker, max_open_positions=1)
    assert buy(paper_broker, "0.01").status == Trade.Status.FILLED

    refused = buy(paper_broker, "0.1", symbol="ETH/USDT")
    increase = buy(paper_broker, "0.01")
    other_book = buy(paper_broker, "0.01", source="webhook", book=books.webhook("tv"))

    assert refused.status == Trade.Status.REJECTED
    assert refused.error.startswith("Entrée refusée par les limites de risque.")
    assert "1 positions ouvertes au plus (ouvertes : 1)" in refused.error
    assert increase.status == Trade.Status.FILLED
    assert other_book.status == Trade.Status.REJECTED
    assert sell(Position.objects.get(status="open")).status == Trade.Status.FILLED
    assert buy(paper_broker, "0.1", symbol="ETH/USDT").status == Trade.Status.FILLED  # levée : plus de position


def test_exposure_limits_count_the_order_value(paper_broker, prices, limits, buy):
    limits(paper_broker, max_exposure=Decimal("1000"), max_symbol_exposure=Decimal("600"))
    assert buy(paper_broker, "0.01").status == Trade.Status.FILLED  # 500 USDT

    on_btc = buy(paper_broker, "0.004")  # 200 de plus sur BTC : 700 > 600
    total = buy(paper_broker, "0.3", symbol="ETH/USDT")  # 600 de plus : 1 099,5 > 1 000
    fits = buy(paper_broker, "0.2", symbol="ETH/USDT")

    assert on_btc.status == Trade.Status.REJECTED
    assert "exposition maximale de 600 sur BTC/USDT (déjà 499,5, cet achat 200 : 699,5)" in on_btc.error
    assert total.status == Trade.Status.REJECTED
    assert "exposition maximale de 1\u202f000 (déjà 499,5, cet achat 600 : 1\u202f099,5)" in total.error
    assert fits.status == Trade.Status.FILLED


def test_daily_loss_counts_from_midnight_in_the_user_time_zone(paper_broker, prices, limits, buy, closed_position):
    alice = paper_broker.user
    alice.display_timezone = "America/New_York"
    alice.save()
    start, tomorrow = figures.day_bounds(alice, timezone.now())
    limits(paper_broker, max_daily_loss=Decimal("100"))
    closed_position(paper_broker, "-150", start - timedelta(minutes=1))  # la veille, à New York

    assert buy(paper_broker, "0.001").status == Trade.Status.FILLED

    closed_position(paper_broker, "-120", start + timedelta(seconds=1))
    refused = buy(paper_broker, "0.001")

    assert refused.status == Trade.Status.REJECTED
    assert "perte maximale du jour de 100 (" in refused.error
    assert "fuseau America/New_York" in refused.error
    reach = RiskReach.objects.get(lifted_at=None)
    assert reach.until == tomorrow
    state.expire(alice, tomorrow)  # minuit suivant à New York : levée
    reach.refresh_from_db()
    assert reach.lifted_at == tomorrow
    assert not assess(paper_broker.risk_limits, paper_broker, tomorrow + timedelta(minutes=1)).reached


def test_daily_loss_in_percent_of_the_day_start_value(paper_broker, prices, limits, buy, closed_position):
    start, _ = figures.day_bounds(paper_broker.user, timezone.now())
    BalanceSnapshot.objects.create(
        broker=paper_broker, taken_at=start - timedelta(hours=1), reason="hourly", total_usd=10000
    )
    limits(paper_broker, max_daily_loss_pct=Decimal("5"))
    closed_position(paper_broker, "-499", start + timedelta(seconds=1))
    assert buy(paper_broker, "0.001").status == Trade.Status.FILLED

    closed_position(paper_broker, "-2", start + timedelta(seconds=2))
    refused = buy(paper_broker, "0.001")

    assert refused.status == Trade.Status.REJECTED
    assert "perte maximale du jour de 5 %" in refused.error
    assert "5,01 % des 10\u202f000 USD du début de journée" in refused.error


def test_drawdown_from_the_peak_snapshot_lifts_when_the_account_recovers(paper_broker, prices, limits, buy):
    now = timezone.now()
    for hours, total in ((3, 10000), (2, 12000), (1, 10500)):
        BalanceSnapshot.objects.create(
            broker=paper_broker, taken_at=now - timedelta(hours=hours), reason="hourly", total_usd=total
        )
    limits(paper_broker, max_drawdown_pct=Decimal("10"))

    refused = buy(paper_broker, "0.001")

    assert refused.status == Trade.Status.REJECTED
    assert "sommet 12\u202f000 USD, valeur 10\u202f500 USD : baisse de 12,5 %" in refused.error
    BalanceSnapshot.objects.create(broker=paper_broker, taken_at=now, reason="position_closed", total_usd=11500)
    assert buy(paper_broker, "0.001").status == Trade.Status.FILLED
    assert not RiskReach.objects.filter(lifted_at=None).exists()


def test_cooldown_on_the_whole_account(paper_broker, prices, limits, buy, closed_position):
    now = timezone.now()
    limits(paper_broker, cooldown_losses=2, cooldown_minutes=30)
    closed_position(paper_broker, "-5", now - timedelta(minutes=40), book=books.activation(7))
    closed_position(paper_broker, "3", now - timedelta(minutes=20))
    assert buy(paper_broker, "0.001").status == Trade.Status.FILLED  # la dernière a gagné

    closed_position(paper_broker, "-1", now - timedelta(minutes=10), book=books.webhook("tv"))
    closed_position(paper_broker, "-2", now - timedelta(minutes=5))
    refused = buy(paper_broker, "0.001", source="strategy", book=books.activation(7))

    assert refused.status == Trade.Status.REJECTED
    assert "pause de 30 min après 2 positions perdantes d'affilée sur tout le compte" in refused.error
    reach = RiskReach.objects.get(lifted_at=None, limit="cooldown")
    assert reach.until == Position.objects.filter(status="closed").order_by("-closed_at").first().closed_at + timedelta(
        minutes=30
    )
    assert not assess(paper_broker.risk_limits, paper_broker, reach.until).reached  # la pause finie, levée


def test_cooldown_per_source_only_stops_the_losing_source(paper_broker, prices, limits, buy, closed_position):
    now = timezone.now()
    limits(paper_broker, cooldown_losses=2, cooldown_minutes=30, cooldown_scope="source")
    for minutes in (10, 5):
        closed_position(paper_broker, "-1", now - timedelta(minutes=minutes), book=books.webhook("tv"))

    webhook = buy(paper_broker, "0.001", source="webhook", book=books.webhook("tv"))
    manual = buy(paper_broker, "0.001")

    assert webhook.status == Trade.Status.REJECTED
    assert "pour webhook « tv »" in webhook.error
    assert manual.status == Trade.Status.FILLED


def test_a_reach_alerts_once_and_sales_still_pass(paper_broker, prices, limits, buy, sell, closed_position):
    assert buy(paper_broker, "0.01").status == Trade.Status.FILLED
    limits(paper_broker, max_daily_loss=Decimal("10"))
    closed_position(paper_broker, "-50", timezone.now())

    first, second = buy(paper_broker, "0.001"), buy(paper_broker, "0.002")
    sale = sell(Position.objects.get(status="open"))

    assert (first.status, second.status, sale.status) == ("rejected", "rejected", "filled")
    alerts = AlertEvent.objects.filter(kind="risk_limit_reached")
    assert alerts.count() == 1
    assert "perte maximale du jour de 10 (" in alerts.get().text


def test_a_loss_reached_without_any_buy_is_alerted_by_the_minute_check(paper_broker, candle, limits, buy):
    candle("50000")
    assert buy(paper_broker, "0.01").status == Trade.Status.FILLED
    limits(paper_broker, max_daily_loss=Decimal("100"))
    candle("30000", minutes_from_now=0)  # perte latente d'environ 200 USDT, sans aucun achat pour la voir

    assert services.refresh_all() == 1
    assert services.refresh_all() == 1

    reach = RiskReach.objects.get(lifted_at=None)
    assert "perte maximale du jour de 100 (" in reach.message
    assert AlertEvent.objects.filter(kind="risk_limit_reached").count() == 1

    limits(paper_broker, max_daily_loss=Decimal("1000"))  # relevée : levée au contrôle suivant
    services.refresh_all()
    reach.refresh_from_db()
    assert reach.lifted_at is not None


async def test_the_engine_minute_check_recalculates_the_limits(paper_broker, prices, limits, closed_position):
    await sync_to_async(limits)(paper_broker, max_daily_loss=Decimal("10"))
    await sync_to_async(closed_position)(paper_broker, "-50", timezone.now())

    await TradingEngine().check_positions()

    assert await RiskReach.objects.filter(broker=paper_broker, lifted_at=None).acount() == 1
