"""Le service d'ordres sérialise lui-même chaque paire d'un broker : deux achats de deux sources en même temps passent
l'un après l'autre (le second voit la position du premier), et aucune autre app ne prend le verrou elle-même."""

import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders import books
from apps.orders.models import Trade
from apps.risk.models import RiskLimits

pytestmark = pytest.mark.django_db(transaction=True)
APPS = Path(__file__).resolve().parents[2]


def advisory_waiters() -> int:
    """Les connexions de cette base qui attendent un verrou consultatif."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return cursor.fetchone()[0]


def test_two_sources_buying_the_same_pair_at_once_do_not_overspend(
    alice, binance_broker, fake_binance, wait_until, place
):
    RiskLimits.objects.create(user=alice, broker=binance_broker, max_symbol_exposure=Decimal("700"))
    ccxt_manager.sync.market(binance_broker, "BTC/USDT")  # marchés chargés : le second achat n'attend que le verrou
    trades = {}

    def buy(name: str, book: str | None):
        try:
            trades[name] = place(
                alice,
                binance_broker,
                quantity=Decimal("0.01"),  # 500 USDT chacun : les deux feraient 1 000 > 700
                source="webhook" if book else "manual",
                book=book,
            )
        finally:
            connection.close()

    seen = len(fake_binance.requests)
    fake_binance.gate.clear()  # le premier achat reste en vol chez l'exchange
    manual = threading.Thread(target=buy, args=("manual", None))
    manual.start()
    wait_until(lambda: len(fake_binance.requests) > seen)
    webhook = threading.Thread(target=buy, args=("webhook", books.webhook("tv")))
    webhook.start()
    wait_until(lambda: advisory_waiters() == 1)  # le second attend la paire, sans rien envoyer
    fake_binance.gate.set()
    manual.join(30)
    webhook.join(30)

    assert trades["manual"].status == Trade.Status.FILLED
    assert trades["webhook"].status == Trade.Status.REJECTED
    assert "exposition maximale de 700 sur BTC/USDT" in trades["webhook"].error
    assert fake_binance.count("/api/v3/order") == 1


def test_no_app_outside_orders_takes_the_pair_lock_itself():
    takers = [
        str(path.relative_to(APPS))
        for path in APPS.rglob("*.py")
        if path.parts[len(APPS.parts)] != "orders" and "apps.orders.locks" in path.read_text()
    ]
    assert takers == []
