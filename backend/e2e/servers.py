"""Processus réels pour les tests de bout en bout : Daphne (backend) et `vite preview` (SPA construit)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]
FRONTEND = BACKEND.parent / "frontend"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, up: bool, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if (sock.connect_ex(("127.0.0.1", port)) == 0) == up:
                return
        if time.monotonic() > deadline:
            raise TimeoutError(f"port {port} {'fermé' if up else 'toujours ouvert'} après {seconds} s")
        time.sleep(0.1)


class Process:
    """Un serveur enfant dans son propre groupe de processus, arrêté avec tout son groupe."""

    def __init__(self, name: str, args: list[str], cwd: Path, env: dict, port: int, log_dir: Path):
        self.name, self.args, self.cwd, self.env, self.port = name, args, cwd, env, port
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "a") as log:  # l'enfant garde son descripteur
            self.process = subprocess.Popen(
                self.args, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            wait_port(self.port, up=True)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"{self.name} n'a pas démarré :\n{self.log_path.read_text()[-3000:]}") from None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None
        wait_port(self.port, up=False)


def manage(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=BACKEND, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} :\n{done.stdout}\n{done.stderr}")
    return done.stdout


class App:
    """Un Aristobot complet sur des ports libres : Daphne + SPA, avec sa base."""

    def __init__(self, name: str, env: dict, log_dir: Path):
        self.env = env
        backend_port, frontend_port = free_port(), free_port()
        self.backend = Process(
            f"{name}-daphne",
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(backend_port), "aristobot.asgi:application"],
            BACKEND,
            env,
            backend_port,
            log_dir,
        )
        front_env = dict(
            os.environ,
            ARISTOBOT_BACKEND_URL=f"http://127.0.0.1:{backend_port}",
            ARISTOBOT_FRONTEND_PORT=str(frontend_port),
        )
        self.frontend = Process(
            f"{name}-vite",
            ["npx", "vite", "preview", "--host", "127.0.0.1", "--port", str(frontend_port), "--strictPort"],
            FRONTEND,
            front_env,
            frontend_port,
            log_dir,
        )
        self.url = f"http://127.0.0.1:{frontend_port}"
        self.extra: list[Process] = []

    def start(self) -> "App":
        self.backend.start()
        self.frontend.start()
        return self

    def run(self, name: str, *args: str) -> Process:
        """Lance un processus Django de plus (ex. run_heartbeat) sur la même base ; arrêté avec l'app."""
        process = Process(
            name, [sys.executable, "manage.py", *args], BACKEND, self.env, 0, self.backend.log_path.parent
        )
        with open(process.log_path, "a") as log:  # l'enfant garde son descripteur
            process.process = subprocess.Popen(
                process.args, cwd=BACKEND, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.extra.append(process)
        return process

    def manage(self, *args: str) -> str:
        return manage(self.env, *args)

    def stop(self) -> None:
        for process in [*self.extra, self.frontend, self.backend]:
            if process.port:
                process.stop()
            elif process.process and process.process.poll() is None:
                os.killpg(process.process.pid, signal.SIGTERM)
                process.process.wait(timeout=10)
