"""Rattrapage impossible (REST en panne) : trou noté, statut incohérent publié, service debout, aucune bougie
incomplète publiée ; le rattrapage suivant qui réussit rend le heartbeat cohérent."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async

from apps.heartbeat.models import HeartbeatStatus
from apps.heartbeat.tests.conftest import START, play, subscribed
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)


def at(hour: int, minute: int):
    return (START + timedelta(days=1 if hour < 12 else 0)).replace(hour=hour, minute=minute)


async def cut(simulator, steps: int) -> None:
    """Coupe la connexion et laisse le marché avancer de `steps` pas sans personne."""
    simulator.paused = True
    await simulator.drop_clients()
    for _ in range(steps):
        await simulator.step()
    await subscribed(simulator, ["BTC/USDT"])
    simulator.paused = False


def bar_state(listener) -> list[tuple]:
    return [(s["heartbeat"]["coherent"], s["heartbeat"]["gaps"]) for s in listener.statuses]


async def test_lost_minutes_are_reported_and_coherence_returns_after_a_good_backfill(
    simulator, listener, start_heartbeat
):
    await start_heartbeat()
    await play(simulator, listener, 3)  # 23:50 → 23:52
    await eventually(lambda: bar_state(listener) and bar_state(listener)[-1] == (True, 0))

    await cut(simulator, 8)  # 23:53 → 23:56 clôturées pendant la coupure ; horloge 23:57:00
    simulator.rest_down = True
    await play(simulator, listener, 3)  # 23:57 → 23:59, en direct
    await eventually(lambda: bar_state(listener)[-1] == (False, 1), message=str(bar_state(listener)))
    # 23:53 → 23:55 sont notées au retour du flux, 23:56 dès que sa clôture a pu arriver : un seul trou de 4 min.
    lost = [
        {
            "symbol": "BTC/USDT",
            "start": at(23, 53).isoformat(),
            "end": at(23, 56).isoformat(),
            "minutes": 4,
            "reason": "unavailable",
        }
    ]

    async def gaps_recorded():
        status = await sync_to_async(HeartbeatStatus.load)()
        return status if status.gaps == lost else None

    status = await eventually(gaps_recorded, message="trou de 23:53 à 23:56 jamais enregistré")
    assert not status.coherent and "rattrapage de BTC/USDT impossible" in status.last_error
    # Les bougies qui contiennent des minutes perdues ne sont jamais publiées ; celles d'après, si.
    assert listener.candle("BTC/USDT", "3m", at(23, 57)) is not None
    for timeframe, start in [
        ("5m", at(23, 55)),
        ("10m", at(23, 50)),
        ("15m", at(23, 45)),
        ("1h", at(23, 0)),
        ("4h", at(20, 0)),
    ]:
        assert listener.candle("BTC/USDT", timeframe, start) is None, timeframe

    simulator.rest_down = False
    await cut(simulator, 4)  # 00:00 → 00:01 manquées, rattrapées cette fois
    await play(simulator, listener, 2)
    await eventually(lambda: bar_state(listener)[-1] == (True, 0), message=str(bar_state(listener)))
    assert listener.candle("BTC/USDT", "1m", at(0, 1)) is not None
    assert listener.candle("BTC/USDT", "3m", at(0, 0)) is not None
    status = await sync_to_async(HeartbeatStatus.load)()
    assert status.coherent and status.gaps == [] and status.connected
