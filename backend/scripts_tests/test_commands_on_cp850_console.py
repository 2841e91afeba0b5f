"""Les commandes de gestion sur une console Windows cp850 stricte (PYTHONIOENCODING=cp850:strict) : aide,
messages, journaux du démarrage au Ctrl-C, sans erreur d'encodage."""

import signal
import subprocess
import sys

import pytest
from e2e.servers import free_port

from scripts_tests.conftest import BACKEND_DIR, Output, cp850_env

pytestmark = pytest.mark.django_db(transaction=True)
# Toutes les commandes de nos applications (une commande ajoutée est vérifiée d'office).
COMMANDS = sorted(
    path.stem for path in (BACKEND_DIR / "apps").glob("*/management/commands/*.py") if not path.stem.startswith("_")
)
ENCODING_FAILURES = ("UnicodeEncodeError", "Logging error", "Traceback")


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BACKEND_DIR, env=env, capture_output=True, timeout=60
    )
    done.stdout, done.stderr = done.stdout.decode("cp850"), done.stderr.decode("cp850")
    return done


def test_every_service_command_is_found():
    assert {
        "init_aristobot",
        "run_heartbeat",
        "run_webhook_worker",
        "run_backtest_worker",
        "run_trading_engine",
        "run_binance_simulator",
        "run_alerts",
        "run_watchdog",
    } <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command, db_url):
    done = manage(cp850_env(DATABASE_URL=db_url), command, "--help")
    assert done.returncode == 0, done.stderr
    assert f"manage.py {command}" in done.stdout
    assert [word for word in ENCODING_FAILURES if word in done.stderr] == [], done.stderr


def test_init_aristobot_creates_then_keeps(db_url):
    env = cp850_env(DATABASE_URL=db_url)
    first, second = manage(env, "init_aristobot"), manage(env, "init_aristobot")
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert "Utilisateur 'dev' créé (sans mot de passe)." in first.stdout
    assert "Utilisateur 'dac' déjà présent : inchangé." in second.stdout


def test_services_run_and_stop_on_ctrl_c(db_url):
    port = free_port()
    env = cp850_env(
        DATABASE_URL=db_url, BINANCE_WS_URL=f"ws://127.0.0.1:{port}", BINANCE_REST_URL=f"http://127.0.0.1:{port}"
    )
    names = {
        "run_binance_simulator": "Simulateur Binance",
        "run_heartbeat": "Heartbeat",
        "run_webhook_worker": "Worker des webhooks",
        "run_backtest_worker": "Worker des backtests",
        "run_trading_engine": "Moteur de trading",
        "run_alerts": "Alertes",
        "run_watchdog": "Chien de garde",
    }
    processes = {}
    try:
        for command in names:
            extra = ["--port", str(port)] if command == "run_binance_simulator" else []
            process = subprocess.Popen(
                [sys.executable, "manage.py", command, *extra],
                cwd=BACKEND_DIR,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            processes[command] = (process, Output(process.stdout))
        for command, name in names.items():
            processes[command][1].wait_for(f"{name} démarré")
        processes["run_heartbeat"][1].wait_for("Connecté au flux Binance : BTC/USDT, ETH/USDT")
        processes["run_heartbeat"][1].wait_for("Rattrapage de ETH/USDT")
        for process, _ in processes.values():
            process.send_signal(signal.SIGINT)
        for command, name in names.items():
            process, output = processes[command]
            assert process.wait(timeout=30) == 0, output.text
            output.thread.join(5)
            assert f"{name} arrêté proprement" in output.text
            assert [word for word in ENCODING_FAILURES if word in output.text] == [], output.text
    finally:
        for process, _ in processes.values():
            process.kill()
            process.wait()
