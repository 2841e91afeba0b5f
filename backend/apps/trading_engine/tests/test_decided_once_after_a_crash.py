"""Le moteur tué (SIGKILL) au milieu d'une vague — l'ordre parti, la décision pas encore notée — décide la bougie
une fois à son redémarrage : la décision reprise est finie depuis l'ordre déjà passé, sans second ordre."""

import pytest
from django.db import connection, transaction

from apps.core.channels import HEARTBEAT_GROUP, publish_sync
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.tests.engine_world import EngineProcess, blocked, build, decided, every_few_seconds, store_last
from testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def engine_blocked() -> bool:
    with connection.cursor() as cursor:
        return blocked(cursor)


def activity() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT wait_event_type, state, left(query, 100) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchall()


def test_engine_killed_mid_wave_decides_the_candle_once_after_restart(db_url, tmp_path):
    world = build()
    activation, candle_ms = world["activation"], world["candle_ms"]
    engine = EngineProcess(db_url, tmp_path / "moteur.log").start()
    wave = store_last(candle_ms)
    publish = every_few_seconds(lambda: publish_sync(HEARTBEAT_GROUP, wave))
    try:
        with transaction.atomic():  # l'activation verrouillée : l'écriture de la décision attend
            ActiveStrategy.objects.select_for_update(no_key=True).get(pk=activation)
            wait_until(lambda: publish() or engine_blocked(), 90, lambda: f"{engine.log()}\n{activity()}", every=0.1)
            engine.kill()
        interrupted = decided(activation, candle_ms)
        assert interrupted["decisions"] == [("pending", "", 1)]
        # L'achat est chez l'exchange (paper : exécuté à la bougie 1m suivante).
        assert interrupted["trades"] == [("buy", "open")] and interrupted["paper_orders"] == 1

        engine.start()  # le même moteur, redémarré : la décision de la bougie encore fraîche est reprise
        wait_until(
            lambda: decided(activation, candle_ms)["decisions"][0][0] == "done",
            90,
            lambda: f"{engine.log()}\n{activity()}",
            every=0.1,
        )
        publish_sync(HEARTBEAT_GROUP, wave)  # la vague encore une fois : déjà décidée
        assert "1 décision(s) interrompue(s) reprise(s)" in engine.log()
        assert engine.stop() == 0, engine.log()
    finally:
        if engine.alive:
            engine.kill()

    after = decided(activation, candle_ms)
    assert after["decisions"] == [("done", "long", 2)]
    assert after["trades"] == [("buy", "open")] and after["strategy_trades"] == 1 and after["paper_orders"] == 1
    assert len(after["positions"]) == 1
    assert after["last_decision"].startswith("Achat envoyé") and after["last_candle_ms"] == candle_ms
