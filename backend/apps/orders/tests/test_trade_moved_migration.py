"""Trade quitte apps.core pour apps.orders : sur une base qui a déjà des trades (et un webhook qui en pointe un),
les lignes, leurs frais et le lien du webhook survivent à la migration."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

MOVED = {"core": "0003_trade", "webhooks": "0001_initial", "orders": None, "heartbeat": None}


def leaves() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return (
        MigrationExecutor(connection).loader.project_state([target for target in targets if target[1] is not None]).apps
    )


@pytest.fixture
def before_the_move():
    """La base telle qu'avant le découpage (Trade dans core) ; remise à jour à la fin, quoi qu'il arrive."""
    targets = [(app, name) for app, name in leaves() if app not in MOVED] + list(MOVED.items())
    yield migrate(targets)
    migrate(leaves())


def test_existing_trades_and_their_webhook_link_are_kept(before_the_move):
    old = before_the_move
    user = old.get_model("accounts", "User").objects.create(username="ancien")
    broker = old.get_model("brokers", "Broker").objects.create(user_id=user.pk, name="Démo", exchange="paper")
    trade = old.get_model("core", "Trade").objects.create(
        user_id=user.pk,
        broker_id=broker.pk,
        source="manual",
        symbol="BTC/USDT",
        side="buy",
        type="market",
        quantity=Decimal("0.01"),
        status="filled",
        client_order_id="ab3ancien",
        fee=Decimal("0.5"),
        fee_currency="USDT",
    )
    old.get_model("webhooks", "Webhook").objects.create(user_id=user.pk, body=b"{}", body_sha256="x", trade_id=trade.pk)

    new = migrate(leaves())

    moved = new.get_model("orders", "Trade").objects.get(pk=trade.pk)
    assert (moved.client_order_id, moved.quantity, moved.fees) == ("ab3ancien", Decimal("0.01"), {"USDT": "0.5"})
    assert new.get_model("webhooks", "Webhook").objects.get().trade_id == trade.pk
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "orders_trade" in tables and "core_trade" not in tables
