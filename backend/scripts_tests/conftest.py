"""Tests de run.py et de scripts/ : lancement, supervision des processus, console Windows (cp850)."""

import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import psutil
import pytest
from e2e.servers import free_port, wait_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
BACKEND_DIR = ROOT / "backend"
if str(SCRIPTS) not in sys.path:
    sys.path.append(str(SCRIPTS))  # en dernier : scripts/test.py ne doit pas masquer le paquet `test`


def load_entry_point():
    """Le run.py de la racine, importé sous le nom `run_entry` (scripts/run.py porte le même nom)."""
    spec = importlib.util.spec_from_file_location("run_entry", ROOT / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cp850_env(**extra: str) -> dict[str, str]:
    """Environnement d'une console Windows cp850 stricte : un caractère hors cp850 fait échouer l'écriture."""
    return {**os.environ, "PYTHONIOENCODING": "cp850:strict", "PYTHONUNBUFFERED": "1", **extra}


class Output:
    """Lit la sortie (octets cp850) d'un processus dans un fil, pour attendre une ligne sans bloquer."""

    def __init__(self, stream, encoding: str = "cp850"):
        self.lines: list[str] = []
        self.times: list[float] = []  # arrivée de chaque ligne (time.monotonic)
        self.encoding = encoding

        def read():
            for raw in iter(stream.readline, b""):
                self.times.append(time.monotonic())
                self.lines.append(raw.decode(encoding))

        self.thread = threading.Thread(target=read, daemon=True)
        self.thread.start()

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def matching(self, text: str) -> list[str]:
        return [line for line in list(self.lines) if text in line]

    def times_of(self, text: str) -> list[float]:
        return [at for at, line in zip(list(self.times), list(self.lines)) if text in line]

    def wait_for(self, text: str, *, count: int = 1, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while len(self.matching(text)) < count:
            assert time.monotonic() < deadline, f"{text!r} (x{count}) absent après {seconds} s :\n{self.text[-4000:]}"
            time.sleep(0.05)
        return self.matching(text)[count - 1]


STARTED = re.compile(r"^\S+ (\S+)\s+\| démarré \(pid (\d+)\)")


def started_services(output: Output) -> list[tuple[str, int]]:
    """(service, pid) de chaque ligne « démarré (pid N) » du superviseur, dans l'ordre."""
    return [(m.group(1), int(m.group(2))) for m in map(STARTED.match, list(output.lines)) if m]


def started_pids(output: Output) -> list[int]:
    return [pid for _, pid in started_services(output)]


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def kill_all(process: subprocess.Popen, children: list[int]) -> None:
    """Filet de fin de test : tue le superviseur et le groupe de chacun de ses enfants s'ils tournent encore."""
    process.kill()
    for pid in [process.pid, *children]:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    process.wait()


class Supervised(NamedTuple):
    process: subprocess.Popen
    output: Output
    web_port: int


@contextmanager
def supervised(db_url: str, *, started: tuple[str, ...]):
    """`with supervised(db_url, started=("Worker des webhooks démarré",)) as running:` le vrai superviseur
    (`scripts/processes.py`, hors ligne, sans front end, sur une console cp850), rendu quand les lignes `started`
    sont écrites et que Daphne écoute ; à la sortie, lui et ses enfants sont tués s'ils tournent encore."""
    web_port, simulator_port = free_port(), free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(SCRIPTS / "processes.py"),
            "--offline",
            "--web-port",
            str(web_port),
            "--simulator-port",
            str(simulator_port),
            "--without-frontend",
        ],
        env=cp850_env(DATABASE_URL=db_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    output = Output(process.stdout)
    try:
        for line in started:
            output.wait_for(line)
        wait_port(web_port, up=True, seconds=60)
        yield Supervised(process, output, web_port)
    finally:
        kill_all(process, started_pids(output))


@pytest.fixture
def entry_point():
    return load_entry_point()
