"""Superviseur des processus d'Aristobot : un service qui s'arrête (plantage, kill -9) est relancé seul,
après 1 s, 2 s, 4 s... (30 s au plus, retour à 1 s après une minute sans arrêt), les autres continuent ;
Ctrl-C les arrête tous. Chaque enfant a son groupe de processus : session POSIX, ou groupe Windows
(CREATE_NEW_PROCESS_GROUP, arrêté par Ctrl-Break puis taskkill /T), sans appel POSIX sous Windows.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

WINDOWS = os.name == "nt"


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Ctrl-C, `kill -INT` et `kill -TERM` arrêtent tout proprement, même lancé en arrière-plan : Python n'installe
    pas son gestionnaire de SIGINT quand SIGINT est ignoré au départ (`python run.py &`)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if not WINDOWS:
        signal.signal(signal.SIGTERM, _interrupt)  # le superviseur le prend pendant qu'il tourne


STABLE_SECONDS = 60
MAX_DELAY_SECONDS = 30
STOP_GRACE_SECONDS = 10


@dataclass(frozen=True)
class Service:
    name: str
    args: list[str]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)  # ajouts à l'environnement du superviseur
    pass_fds: tuple[int, ...] = ()  # descripteurs gardés ouverts par le superviseur et transmis (POSIX)


def restart_delay(failures: int) -> int:
    """Attente (s) avant la relance après `failures` arrêts rapprochés : 1, 2, 4... plafonnée à 30."""
    return min(2 ** (failures - 1), MAX_DELAY_SECONDS)


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"tué par {signal.Signals(-code).name}"
        except ValueError:
            return f"tué par le signal {-code}"
    return f"code {code}"


class Console:
    """Sortie commune, une ligne par message, préfixée de l'heure et du service. Une ligne qu'un enfant
    écrit avec des caractères que la console ne sait pas afficher (flèche de Vite sur cp850) y est
    écrite avec des « ? » au lieu de faire tomber le superviseur."""

    def __init__(self, stream: TextIO, width: int):
        self.stream, self.width = stream, width
        self.lock = threading.Lock()

    def line(self, name: str, text: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {name:<{self.width}} | {text}\n"
        encoding = getattr(self.stream, "encoding", None) or "utf-8"
        line = line.encode(encoding, "replace").decode(encoding)
        with self.lock:
            self.stream.write(line)
            self.stream.flush()


class Supervised:
    """Un service et son processus courant ; relancé avec attente croissante quand il s'arrête."""

    def __init__(self, service: Service, console: Console, env: dict[str, str]):
        self.service, self.console = service, console
        # Les enfants écrivent en UTF-8 dans leur tube, quelle que soit la console (cp1252 sinon sous Windows).
        self.env = {**env, **service.env, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
        self.process: subprocess.Popen | None = None
        self.failures = 0
        self.started_at = 0.0
        self.next_start = 0.0

    def say(self, text: str) -> None:
        self.console.line(self.service.name, text)

    def start(self, now: float) -> None:
        group = (
            {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
            if WINDOWS
            else {"start_new_session": True, "pass_fds": self.service.pass_fds}
        )
        self.started_at = now
        try:
            self.process = subprocess.Popen(
                self.service.args,
                cwd=self.service.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                **group,
            )
        except OSError as error:
            self.say(f"démarrage impossible : {error}")
            self._schedule_restart(now)
            return
        self.say(f"démarré (pid {self.process.pid})")
        threading.Thread(target=self._relay, args=(self.process,), daemon=True).start()

    def _relay(self, process: subprocess.Popen) -> None:
        for raw in iter(process.stdout.readline, b""):
            self.say(raw.decode("utf-8", "replace").rstrip())
        process.stdout.close()

    def check(self, now: float) -> None:
        """Relève l'arrêt du processus et programme sa relance."""
        if self.process is None or self.process.poll() is None:
            return
        code = self.process.returncode
        self._signal_group(force=True)  # petits-enfants restés dans le groupe
        self.process = None
        delay = self._schedule_restart(now)
        self.say(f"arrêté ({describe_exit(code)}) : relancé dans {delay} s")

    def _schedule_restart(self, now: float) -> int:
        if now - self.started_at >= STABLE_SECONDS:
            self.failures = 0
        self.failures += 1
        delay = restart_delay(self.failures)
        self.next_start = now + delay
        return delay

    def _signal_group(self, *, force: bool) -> None:
        if WINDOWS:
            if not force:
                self.process.send_signal(signal.CTRL_BREAK_EVENT)  # tout le groupe de ce processus
            elif self.process.poll() is None:
                self._kill_windows_tree()
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL if force else signal.SIGTERM)
        except OSError:
            pass  # groupe déjà vide

    def _kill_windows_tree(self) -> None:
        """TerminateProcess ne tue que le processus : taskkill /T prend aussi ses enfants (node sous un lanceur)."""
        try:
            killed = subprocess.run(["taskkill", "/T", "/F", "/PID", str(self.process.pid)], capture_output=True)
        except OSError:
            killed = None
        if killed is None or killed.returncode:
            self.process.kill()

    def stop(self) -> None:
        """Demande l'arrêt propre (SIGTERM au groupe ; Ctrl-Break sous Windows)."""
        if self.process is not None and self.process.poll() is None:
            self._signal_group(force=False)

    def wait_stopped(self, deadline: float) -> None:
        """Attend l'arrêt jusqu'à `deadline`, puis tue le groupe."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.say("ne s'arrête pas : tué")
            self._signal_group(force=True)
            self.process.wait()
        self._signal_group(force=True)
        self.say(f"arrêté ({describe_exit(self.process.returncode)})")
        self.process = None


class Supervisor:
    def __init__(
        self,
        services: list[Service],
        *,
        stream: TextIO = sys.stdout,
        env: dict[str, str] | None = None,
        grace_seconds: float = STOP_GRACE_SECONDS,
    ):
        console = Console(stream, max(len(service.name) for service in services))
        self.console, self.grace_seconds = console, grace_seconds
        self.services = [Supervised(service, console, dict(os.environ if env is None else env)) for service in services]
        self.stopping = False

    def request_stop(self, *_) -> None:
        self.stopping = True

    def run(self) -> int:
        """Démarre les services et les garde en vie jusqu'à Ctrl-C (SIGTERM, Ctrl-Break) ; retourne 0."""
        stop_signal = signal.SIGBREAK if WINDOWS else signal.SIGTERM
        previous = signal.signal(stop_signal, self.request_stop)
        # Ctrl-C arrête tout même si SIGINT était ignoré au départ (lancé en arrière-plan par un shell sans
        # contrôle de travaux : Python n'installe alors pas son gestionnaire).
        previous_interrupt = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            while not self.stopping:
                now = time.monotonic()
                for supervised in self.services:
                    supervised.check(now)
                    if supervised.process is None and now >= supervised.next_start:
                        supervised.start(now)
                time.sleep(0.1)  # interruptible par Ctrl-C, sous Windows aussi
        except KeyboardInterrupt:
            pass
        finally:
            self.shutdown()
            signal.signal(stop_signal, previous)
            signal.signal(signal.SIGINT, previous_interrupt)
        return 0

    def shutdown(self) -> None:
        self.console.line("aristobot", "arrêt de tous les services")
        for supervised in self.services:
            supervised.stop()
        deadline = time.monotonic() + self.grace_seconds
        for supervised in self.services:
            try:
                supervised.wait_stopped(deadline)
            except KeyboardInterrupt:  # second Ctrl-C : on n'attend plus
                deadline = time.monotonic()
                supervised.wait_stopped(deadline)
