import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
BACKEND = Path(__file__).resolve().parents[3]


class LogReader:
    """Lit stderr du processus dans un fil pour attendre un message sans bloquer."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(iter(process.stderr.readline, "")), daemon=True).start()

    def wait_for(self, text: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not any(text in line for line in self.lines):
            assert time.monotonic() < deadline, f"{text!r} absent des journaux : {''.join(self.lines)}"
            time.sleep(0.1)


@pytest.mark.parametrize("command, name", [("run_trading_engine", "Moteur de trading"), ("run_heartbeat", "Heartbeat")])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_service_starts_logs_and_stops_cleanly(command, name, sig, db_url):
    env = dict(os.environ, DATABASE_URL=db_url, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "manage.py", command], cwd=BACKEND, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        logs = LogReader(process)
        logs.wait_for(f"{name} démarré")
        time.sleep(0.5)
        process.send_signal(sig)
        assert process.wait(timeout=15) == 0
        logs.wait_for(f"{name} arrêté proprement", seconds=2)
    finally:
        process.kill()
