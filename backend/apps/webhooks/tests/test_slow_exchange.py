"""Exchange lent (faux Binance qui répond en 5 s) : TradingView a sa réponse sans attendre l'exchange, l'ordre part
après ; une livraison arrivée pendant qu'un ordre attend l'exchange est répondue avant qu'il revienne. Le délai de
réponse (sous les 3 s de TradingView) se mesure par `bench/webhook_bench.py`."""

import pytest

from apps.core.services.ccxt_manager import ccxt_manager
from apps.webhooks.models import Webhook
from apps.webhooks.services.tokens import token_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_binance(alice, bob, fake_binance, make_broker):
    """Brokers binance par défaut d'alice et de bob ; marchés chargés, puis chaque réponse attend 5 s."""
    for user in (alice, bob):
        user.default_broker = make_broker(user)
        user.save(update_fields=["default_broker"])
        ccxt_manager.run(ccxt_manager.markets(user.default_broker))
    fake_binance.requests.clear()
    fake_binance.delay = 5
    return fake_binance


def orders_sent(fake) -> int:
    return sum(1 for method, path, _ in fake.requests if (method, path) == ("POST", "/api/v3/order"))


def test_answered_before_the_exchange_and_order_placed_after(
    alice, bob, slow_binance, deliver, running_worker, wait_until
):
    signal = {"action": "buy", "symbol": "BINANCE:BTCUSDT", "quantity": "0.001"}

    assert deliver(token_for(alice).token, signal).status_code == 200
    assert orders_sent(slow_binance) == 0

    wait_until(lambda: len(slow_binance.requests) > 0, 5)  # le worker attend maintenant l'exchange
    assert deliver(token_for(bob).token, signal).status_code == 200
    assert Webhook.objects.get(user=alice).status == "received"  # la réponse à bob n'a pas attendu l'exchange

    wait_until(lambda: not Webhook.objects.filter(status="received").exists(), 60)
    assert list(Webhook.objects.values_list("status", flat=True)) == ["processed", "processed"]
    assert orders_sent(slow_binance) == 2
    assert {w.trade.status for w in Webhook.objects.select_related("trade")} == {"filled"}
