"""PostgreSQL redémarré au milieu d'une vague (l'ordre parti, la décision pas encore notée) : le moteur ne s'arrête
pas, reprend la décision au retour de la base et la finit une fois, sans second ordre. Un PostgreSQL à part (port
libre, données dans le dossier du test) : le serveur partagé des tests n'est pas redémarré."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg2
import pytest
from e2e.servers import BACKEND, free_port

from apps.core.channels import HEARTBEAT_GROUP, publish_sync
from apps.trading_engine.tests.engine_world import EngineProcess, blocked, every_few_seconds

if str(BACKEND.parent / "scripts") not in sys.path:
    sys.path.append(str(BACKEND.parent / "scripts"))  # en dernier, comme scripts_tests
from local_services import LocalPostgres

from testing.waiting import wait_until

DECISION = "SELECT state, action, attempts FROM trading_engine_decision WHERE activation_id = %s"


@pytest.fixture
def private_postgres():
    """(serveur, URL de sa base `aristobot`), migrée ; arrêté et effacé à la fin. Données dans /tmp même : le
    dossier des tests n'est ouvert qu'à root, PostgreSQL tourne sous son propre utilisateur."""
    url = f"postgres://postgres@127.0.0.1:{free_port()}/aristobot"
    data_dir = Path(tempfile.mkdtemp(prefix="aristobot-pg-"))
    server = LocalPostgres(url, data_dir)
    try:
        server.start()
        server.ensure_database()
        manage("migrate", "--no-input", database_url=url)
        yield server, url
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def manage(*args: str, database_url: str) -> str:
    done = subprocess.run(
        [sys.executable, *args] if args[0] == "-m" else [sys.executable, "manage.py", *args],
        cwd=BACKEND,
        env=dict(os.environ, DATABASE_URL=database_url),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def world(command: str, *numbers: int, database_url: str):
    lines = manage(
        "-m", "apps.trading_engine.tests.engine_world", command, *map(str, numbers), database_url=database_url
    )
    return json.loads(lines.strip().splitlines()[-1])


def query(url: str, sql: str, *args) -> list[tuple]:
    try:
        conn = psycopg2.connect(url.replace("postgres://", "postgresql://"))
    except psycopg2.OperationalError:  # base en cours de redémarrage
        return []
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchall()
    finally:
        conn.close()


def test_database_restarted_mid_wave_the_engine_survives_and_decides_once(private_postgres, tmp_path):
    server, url = private_postgres
    made = world("build", database_url=url)
    activation, candle_ms = made["activation"], made["candle_ms"]
    wave = world("store_last", candle_ms, database_url=url)
    engine = EngineProcess(url, tmp_path / "moteur.log").start()
    publish = every_few_seconds(lambda: publish_sync(HEARTBEAT_GROUP, wave))
    holder = psycopg2.connect(url.replace("postgres://", "postgresql://"))
    try:
        with holder.cursor() as cursor:  # l'activation verrouillée : l'écriture de la décision attend
            cursor.execute("SELECT id FROM trading_engine_activestrategy WHERE id = %s FOR NO KEY UPDATE", [activation])
            wait_until(lambda: publish() or blocked(cursor), 90, engine.log, every=0.2)
        assert query(url, DECISION, activation) == [("pending", "", 1)]

        server.stop()  # PostgreSQL redémarré : toutes les connexions coupées, le verrou tombe
        server.start()

        wait_until(lambda: query(url, DECISION, activation) == [("done", "long", 2)], 60, engine.log, every=0.2)
        assert engine.alive, engine.log()
        log = engine.log()
        assert "interrompu" in log and "1 décision(s) interrompue(s) reprise(s)" in log, log  # coupée, puis reprise
        assert engine.stop() == 0, engine.log()
    finally:
        holder.close()
        if engine.alive:
            engine.kill()

    after = world("decided", activation, candle_ms, database_url=url)
    assert after["decisions"] == [["done", "long", 2]]
    assert after["trades"] == [["buy", "open"]] and after["strategy_trades"] == 1 and after["paper_orders"] == 1
    assert len(after["positions"]) == 1
    assert after["last_decision"].startswith("Achat envoyé") and after["last_candle_ms"] == candle_ms
