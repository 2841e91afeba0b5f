"""Une stratégie qui lève ou dépasse son délai : l'erreur est notée sur elle (état « error » à la 3e d'affilée),
les autres stratégies de la vague tradent quand même ; une fenêtre trouée ne décide pas et dit pourquoi."""

import pytest
from asgiref.sync import sync_to_async

from apps.orders.models import Trade
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.tests.conftest import as_wave, strategy_code

pytestmark = pytest.mark.django_db(transaction=True)

RAISING = strategy_code("raise ValueError('boum')")
LOOPING = strategy_code("while True:\n    pass")
RISING = [50000, 50100, 50000, 50200, 50300, 50400]


@pytest.fixture
def world(alice, bob, make_strategy, make_broker, fake_binance, activate, store_candles, settings):
    settings.STRATEGY_CALL_TIMEOUT_MS = 1000
    alice_broker, bob_broker = make_broker(alice), make_broker(bob)
    raising = activate(alice, make_strategy(alice, RAISING, name="Lève"), alice_broker)
    looping = activate(bob, make_strategy(bob, LOOPING, name="Boucle"), bob_broker)
    healthy = activate(alice, make_strategy(alice), alice_broker, symbol="ETH/USDT")
    btc = store_candles(RISING)
    eth = store_candles([3000, 3001, 3000, 3002, 3003, 3004], symbol="ETH/USDT")
    return raising, looping, healthy, [[as_wave(b), as_wave(e)] for b, e in zip(btc[-3:], eth[-3:])]


async def test_errors_and_timeouts_are_recorded_and_the_others_still_trade(world, new_cycle):
    raising, looping, healthy, waves = world
    cycle = new_cycle()

    await cycle.on_wave(waves[0])

    eth_trades = await sync_to_async(list)(
        Trade.objects.filter(symbol="ETH/USDT", role="").values_list("side", "status")
    )
    assert eth_trades == [("buy", "filled")]
    for activation in (raising, looping, healthy):
        await sync_to_async(activation.refresh_from_db)()
    assert "boum" in raising.last_error and "should_long" in raising.last_error and "ligne 6" in raising.last_error
    assert "Délai dépassé" in looping.last_error
    assert (raising.state, raising.error_count, healthy.last_error) == ("running", 1, "")

    await cycle.on_wave(waves[1])
    await cycle.on_wave(waves[2])

    states = dict(await sync_to_async(list)(ActiveStrategy.objects.values_list("pk", "state")))
    assert (states[raising.pk], states[looping.pk], states[healthy.pk]) == ("error", "error", "running")
    assert not await sync_to_async(Trade.objects.filter(symbol="BTC/USDT").exists)()


async def test_a_window_with_a_hole_gives_no_decision_and_says_why(
    alice, strategy, make_broker, fake_binance, activate, store_candles, new_cycle
):
    activation = await sync_to_async(activate)(alice, strategy, await sync_to_async(make_broker)(alice))
    stored = await sync_to_async(store_candles)(RISING, skip=(3,))  # une minute absente au milieu

    await new_cycle().on_wave([as_wave(stored[-1])])

    await sync_to_async(activation.refresh_from_db)()
    assert fake_binance.orders == {}
    assert activation.last_decision.startswith("Pas de décision : 1 bougie(s) 1m manquante(s) après ")
    assert activation.last_candle_at == stored[-1].open_time and activation.error_count == 0
    # Dit aussi sur sa carte, en rouge : elle est « en marche » mais ne peut pas décider.
    assert activation.state == "running" and activation.last_error == activation.last_decision


async def test_candles_stored_without_a_wave_do_not_stall_the_activation(
    alice, strategy, make_broker, fake_binance, activate, store_candles, new_cycle
):
    """Des bougies arrivées en base sans vague (vague perdue, rattrapage, import) : la fenêtre en mémoire, trouée,
    est relue de la base et l'activation décide de nouveau, sans attendre un redémarrage du moteur."""
    activation = await sync_to_async(activate)(alice, strategy, await sync_to_async(make_broker)(alice))
    stored = await sync_to_async(store_candles)([50100, 50000, 50100, 50200, 50300])
    cycle = new_cycle()
    await cycle.on_wave([as_wave(stored[1])])  # fenêtre chargée jusqu'à elle ; la clôture baisse : rien
    await cycle.on_wave([as_wave(stored[-1])])  # les deux d'avant sont en base, aucune vague ne les a apportées

    await sync_to_async(activation.refresh_from_db)()
    assert activation.last_decision.startswith("Achat"), activation.last_decision
    assert len(fake_binance.orders) >= 1


async def test_a_candle_closed_long_ago_is_not_traded(world, new_cycle):
    """Rattrapage du heartbeat après un arrêt : une bougie clôturée depuis plus de 2 min (à l'heure du moteur) ne
    décide pas — l'ordre partirait à un prix qui n'est plus celui de la décision ; la suivante, fraîche, décide."""
    from django.utils import timezone

    _, _, healthy, waves = world
    cycle = new_cycle(clock=timezone.now)  # l'horloge murale : les bougies de `world` ont 1 à 3 min

    await cycle.on_wave(waves[0])  # clôturée il y a 3 min
    stale_trades = await sync_to_async(Trade.objects.filter(symbol="ETH/USDT").count)()
    await cycle.on_wave(waves[2])  # la dernière clôturée

    fresh_trades = await sync_to_async(Trade.objects.filter(symbol="ETH/USDT", role="").count)()
    assert (stale_trades, fresh_trades) == (0, 1)
