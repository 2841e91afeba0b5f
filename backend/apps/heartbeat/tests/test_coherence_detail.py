"""La barre de statut dit pourquoi le heartbeat n'est pas cohérent : démarrage, rattrapage en cours, trous
avec leur raison et depuis quand ; tout s'efface quand la série redevient complète."""

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from apps.heartbeat.models import HeartbeatStatus
from apps.heartbeat.tests.conftest import play
from apps.heartbeat.tests.test_backfill_unavailable import at, cut
from testing.waiting import eventually

pytestmark = pytest.mark.django_db(transaction=True)


def coherence(listener) -> list[dict]:
    return [status["coherence"] for status in listener.statuses]


async def test_starting_then_backfill_in_progress_then_gaps_explained_then_cleared(
    simulator, listener, start_heartbeat
):
    await start_heartbeat(rest_retry_delay=0.2)
    await eventually(lambda: listener.statuses)
    assert coherence(listener)[0] == {"since": None, "starting": ["BTC/USDT"], "backfilling": [], "gaps": []}

    await play(simulator, listener, 3)
    await eventually(lambda: listener.statuses[-1]["heartbeat"]["coherent"])
    assert coherence(listener)[-1] == {"since": None, "starting": [], "backfilling": [], "gaps": []}

    await cut(simulator, 8)
    simulator.rest_down = True
    cut_at = timezone.now()
    await play(simulator, listener, 3)
    lost = [
        {
            "symbol": "BTC/USDT",
            "start": at(23, 53).isoformat(),
            "end": at(23, 56).isoformat(),
            "minutes": 4,
            "reason": "unavailable",
        }
    ]
    # Le trou est noté en deux temps (23:53 → 23:55 au retour du flux, 23:56 quand sa clôture a pu arriver).
    await eventually(lambda: coherence(listener)[-1]["gaps"] == lost, message=str(coherence(listener)))
    during = [c for c in coherence(listener) if c["backfilling"] == ["BTC/USDT"]]
    assert during and during[0]["gaps"] == [] and during[0]["since"] is not None
    last = coherence(listener)[-1]
    assert last["gaps"] == lost
    assert cut_at.isoformat() <= last["since"] <= timezone.now().isoformat()
    row = await sync_to_async(HeartbeatStatus.load)()
    assert row.incoherent_since.isoformat() == last["since"] and row.backfilling == [] and row.starting == []

    simulator.rest_down = False
    await cut(simulator, 4)
    await play(simulator, listener, 2)
    await eventually(lambda: listener.statuses[-1]["heartbeat"]["coherent"], message=str(coherence(listener)))
    assert coherence(listener)[-1] == {"since": None, "starting": [], "backfilling": [], "gaps": []}


async def test_a_symbol_added_at_runtime_is_starting_until_its_first_event(simulator, listener, start_heartbeat):
    service = await start_heartbeat()
    await play(simulator, listener, 1)
    await service.apply_symbols(["BTC/USDT", "ETH/USDT"])
    await eventually(lambda: coherence(listener)[-1]["starting"] == ["ETH/USDT"], message=str(coherence(listener)))
    await play(simulator, listener, 1, symbols=("BTC/USDT", "ETH/USDT"))
    await eventually(lambda: coherence(listener)[-1]["starting"] == [], message=str(coherence(listener)))
