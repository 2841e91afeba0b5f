"""Le code qui tourne est le code testé : une activation garde la version de sa stratégie lancée (testée) ; modifier
la stratégie n'y change rien tant que l'utilisateur ne passe pas à la nouvelle version, ce qui n'est permis que si
elle a passé « Tester »."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from apps.orders.models import Trade
from apps.strategies.models import Strategy
from apps.strategies.runner.loader import code_hash
from apps.trading_engine.models import ActiveStrategy, Decision
from apps.trading_engine.tests.conftest import FOLLOW_CODE, as_wave

pytestmark = pytest.mark.django_db(transaction=True)

# Jamais d'achat ; une position tenue est vendue à la première bougie.
SELLER_CODE = """\
from aristobot.strategies import Strategy


class Vendeuse(Strategy):
    def should_long(self):
        return False

    def should_exit(self):
        return True
"""
BROKEN_CODE = "from aristobot.strategies import Strategy\n\nclass Cassee(Strategy)\n    pass\n"


@pytest.fixture
def launched(alice_api, alice, make_broker, fake_binance):
    """Une stratégie créée par l'API (donc testée) et lancée sur un broker binance (faux) : (stratégie, activation)."""
    created = alice_api.post(
        "/api/strategies/", {"name": "Suiveuse", "code": FOLLOW_CODE, "timeframe": "1m"}, format="json"
    )
    assert created.status_code == 201 and created.data["is_valid"], created.data
    now = timezone.now()
    broker = make_broker(alice)
    activation = alice_api.post(
        "/api/active-strategies/",
        {
            "strategy": created.data["id"],
            "broker": broker.pk,
            "symbol": "BTC/USDT",
            "start_date": (now - timedelta(minutes=5)).isoformat(),
            "end_date": (now + timedelta(days=1)).isoformat(),
            "initial_amount": "500",
        },
        format="json",
    )
    assert activation.status_code == 201, activation.data
    assert activation.data["version_hash"] == code_hash(FOLLOW_CODE) and activation.data["newer_version"] is None
    return created.data["id"], activation.data["id"]


def strategy_rows() -> list[tuple[str, str]]:
    return list(Trade.objects.filter(source="strategy", role="").order_by("id").values_list("side", "status"))


async def test_editing_a_running_strategy_changes_nothing_until_the_user_switches(
    alice_api, launched, new_cycle, store_candles
):
    strategy_id, activation_id = launched
    url = f"/api/active-strategies/{activation_id}/"
    edited = await sync_to_async(alice_api.put)(f"/api/strategies/{strategy_id}/", {"code": SELLER_CODE}, format="json")
    assert edited.status_code == 200 and edited.data["is_valid"]
    shown = (await sync_to_async(alice_api.get)(url)).data
    assert shown["version_hash"] == code_hash(FOLLOW_CODE)
    assert shown["newer_version"] == {"hash": code_hash(SELLER_CODE), "tested": True}
    stored = await sync_to_async(store_candles)([50000, 50100, 50000, 50200, 50300])
    cycle = new_cycle()

    await cycle.on_wave([as_wave(stored[-2])])  # clôture en hausse : la version lancée achète, la nouvelle non

    assert await sync_to_async(strategy_rows)() == [("buy", "filled")]
    switched = await sync_to_async(alice_api.post)(f"{url}switch-version/")
    assert switched.status_code == 200, switched.data
    assert switched.data["version_hash"] == code_hash(SELLER_CODE) and switched.data["newer_version"] is None

    await cycle.on_wave([as_wave(stored[-1])])  # encore en hausse : seule la nouvelle version vend

    assert await sync_to_async(strategy_rows)() == [("buy", "filled"), ("sell", "filled")]
    decided = await sync_to_async(list)(
        Decision.objects.filter(activation_id=activation_id)
        .order_by("candle_at")
        .values_list("version__code_hash", "action", "state")
    )
    assert decided == [(code_hash(FOLLOW_CODE), "long", "done"), (code_hash(SELLER_CODE), "exit", "done")]
    again = await sync_to_async(alice_api.post)(f"{url}switch-version/")
    assert again.status_code == 409 and "déjà" in again.data["detail"]


async def test_a_failing_or_untested_version_cannot_be_switched_to(alice_api, launched, new_cycle, store_candles):
    strategy_id, activation_id = launched
    url = f"/api/active-strategies/{activation_id}/"
    broken = await sync_to_async(alice_api.put)(f"/api/strategies/{strategy_id}/", {"code": BROKEN_CODE}, format="json")
    assert broken.status_code == 200 and not broken.data["is_valid"]
    assert (await sync_to_async(alice_api.get)(url)).data["newer_version"] == {
        "hash": code_hash(BROKEN_CODE),
        "tested": False,
    }

    refused = await sync_to_async(alice_api.post)(f"{url}switch-version/")

    assert refused.status_code == 400
    assert refused.data["detail"] == (
        "La version actuelle de « Suiveuse » n'a pas passé « Tester » : testez-la avant de l'utiliser."
    )
    # Code changé sans passer par « Tester » (l'admin, une écriture directe) : pas de version testée, refusé aussi.
    await sync_to_async(Strategy.objects.filter(pk=strategy_id).update)(code=SELLER_CODE, is_valid=True)
    assert (await sync_to_async(alice_api.post)(f"{url}switch-version/")).status_code == 400
    activation = await sync_to_async(ActiveStrategy.objects.select_related("version").get)(pk=activation_id)
    assert activation.version.code == FOLLOW_CODE
    stored = await sync_to_async(store_candles)([50000, 50100, 50000, 50200])

    await new_cycle().on_wave([as_wave(stored[-1])])  # la version lancée décide toujours, sans erreur

    assert await sync_to_async(strategy_rows)() == [("buy", "filled")]
    await sync_to_async(activation.refresh_from_db)()
    assert activation.error_count == 0 and activation.last_decision.startswith("Achat")
