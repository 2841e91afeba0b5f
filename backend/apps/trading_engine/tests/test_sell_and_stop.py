"""« Vendre » vend la position et la stratégie continue ; « Stop » avertit d'un trade en cours, vend s'il le faut,
pose les dates au 01.01.01 00:00 et is_active à faux."""

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from apps.orders.models import Trade
from apps.trading_engine.funds import WaveFunds
from apps.trading_engine.locks import activation_lock
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.services import decisions
from apps.trading_engine.services.activations import activation_stop
from apps.trading_engine.tests.conftest import as_wave

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def holding_activation(alice, strategy, make_broker, fake_binance, activate, store_candles, new_cycle):
    """Une activation d'alice sur le faux Binance, avec une position ouverte par le moteur."""
    activation = await sync_to_async(activate)(alice, strategy, await sync_to_async(make_broker)(alice))
    stored = await sync_to_async(store_candles)([50000, 50100, 50000, 50200])
    await new_cycle().on_wave([as_wave(stored[-1])])
    assert await sync_to_async(Trade.objects.filter(side="buy", status="filled", role="").count)() == 1
    return activation


def test_sell_sells_the_position_at_market_and_the_strategy_keeps_running(holding_activation, alice_api, fake_binance):
    url = f"/api/active-strategies/{holding_activation.pk}/"
    assert alice_api.get(url).data["position"]["quantity"] == "0.00198801"  # frais en BTC, comme chez Binance
    fake_binance.prices["BTCUSDT"] = fake_binance.prices["BTCUSDT"] + 1000

    response = alice_api.post(f"{url}sell/")

    assert response.status_code == 200, response.data
    data = response.data
    assert (data["state"], data["is_active"], data["position"]) == ("running", True, None)
    assert [(t["exit_reason"], t["exit_price"]) for t in data["recent_trades"]] == [("manual", "51000")]
    # Achat au montant : 0,00199 pour 99,5 USDT, frais 0,00000199 BTC ; 0,00198 vendus au pas (reliquat 0,00000801)
    # à 51 000 : 100,98 − 0,10098, pour un coût de 99,5 × 0,00198 / 0,00198801 = 99,09909909… : +1,7799209009…,
    # le solde tenu à 8 décimales, arrondi vers le bas (tel qu'enregistré, relu ensuite à l'identique).
    assert (data["current_balance"], data["pnl"]) == ("501.7799209", "1.7799209")
    assert alice_api.get(url).data["current_balance"] == "501.7799209"
    sell = Trade.objects.get(side="sell", role="")
    assert (sell.status, sell.quantity, sell.source) == ("filled", sell.filled_quantity, "strategy")
    assert alice_api.post(f"{url}sell/").status_code == 409


def test_stop_with_an_open_trade_warns_then_sells_first_when_asked(holding_activation, alice_api):
    url = f"/api/active-strategies/{holding_activation.pk}/"

    warned = alice_api.post(f"{url}stop/", {}, format="json")
    assert warned.status_code == 409
    assert "Un trade est en cours (0,00198801 BTC/USDT)" in warned.data["detail"]
    assert alice_api.get(url).data["state"] == "running"

    stopped = alice_api.post(f"{url}stop/", {"sell": True}, format="json")

    assert stopped.status_code == 200, stopped.data
    data = stopped.data
    assert (data["start_date"], data["end_date"]) == ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z")
    assert (data["is_active"], data["state"], data["position"]) == (False, "stopped", None)
    assert Trade.objects.filter(side="sell", status="filled", role="").count() == 1


def test_stop_can_leave_the_trade_open(holding_activation, alice_api):
    url = f"/api/active-strategies/{holding_activation.pk}/"
    data = alice_api.post(f"{url}stop/", {"sell": False}, format="json").data
    assert (data["is_active"], data["state"]) == (False, "stopped")
    assert data["position"]["quantity"] == "0.00198801"
    assert not Trade.objects.filter(side="sell", role="").exists()


def _decide_a_buy(decided: ActiveStrategy) -> None:
    """Le moteur entre pour 100 USDT sur la copie de l'activation qu'il tient."""
    decisions.enter(
        decided,
        candle_at=datetime.now(UTC),
        candle_ms=1,
        decision={"action": "enter", "amount": "100", "stop_loss": None, "take_profit": None},
        balance=Decimal("500"),
        funds=WaveFunds(),
    )


def test_a_strategy_stopped_while_it_decided_places_no_order(alice, strategy, make_broker, fake_binance, activate):
    """« Stop » arrive entre la décision et l'ordre : l'activation est relue sous le verrou de l'activation, que Stop
    prend aussi ; aucun achat ne part sur une activation arrêtée."""
    activation = activate(alice, strategy, make_broker(alice))
    decided = ActiveStrategy.objects.get(pk=activation.pk)  # la copie que tient le moteur
    activation_stop(activation=activation)

    _decide_a_buy(decided)

    decided.refresh_from_db()
    assert not Trade.objects.exists()
    assert decided.last_decision == "Stratégie arrêtée ou suspendue entre-temps : aucun ordre."


def test_a_decision_waits_while_stop_runs_then_places_no_order(
    alice, strategy, make_broker, fake_binance, activate, wait_until
):
    """La décision du moteur arrive pendant « Stop » (verrou de l'activation tenu) : elle attend, puis voit
    l'activation arrêtée ; aucun achat ne part."""
    activation = activate(alice, strategy, make_broker(alice))
    decided = ActiveStrategy.objects.get(pk=activation.pk)  # la copie que tient le moteur

    def decide():
        try:
            _decide_a_buy(decided)
        finally:
            connection.close()

    def waiting_for_the_activation() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = %s "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                [activation.pk],
            )
            return cursor.fetchone()[0] == 1

    with activation_lock(activation.pk):  # « Stop » a commencé
        engine = threading.Thread(target=decide)
        engine.start()
        wait_until(waiting_for_the_activation)
        activation_stop(activation=activation)
    engine.join(30)

    decided.refresh_from_db()
    assert not Trade.objects.exists()
    assert (decided.is_active, decided.state) == (False, "stopped")
    assert decided.last_decision == "Stratégie arrêtée ou suspendue entre-temps : aucun ordre."
