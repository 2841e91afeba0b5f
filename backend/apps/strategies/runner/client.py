"""Côté processus principal : lance, appelle, borne dans le temps et remplace un runner.

    runner = StrategyRunner(memory_limit_bytes=1 << 30)
    result = runner.call("dry_run", {"code": code}, candles, timeout=2.0)   # vues (synchrone)
    result = await AsyncStrategyRunner(runner).call("decide", …)            # moteur (asyncio)

Un appel rend le `result` du runner ou lève : RunnerTimeout (runner tué et remplacé au prochain appel),
RunnerCrashed (runner mort), StrategyFailed (erreur du code utilisateur : message, ligne, méthode),
CodeRefused (politique de compilation : liste d'erreurs), RunnerError (requête refusée par le runner).
"""

import asyncio
import logging
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from apps.strategies.runner import codec, windows_job
from apps.strategies.runner.confinement import LAYERS
from apps.strategies.runner.policy import CodeError

logger = logging.getLogger(__name__)
WORKER_MODULE = "apps.strategies.runner.worker"
BACKEND_DIR = Path(__file__).resolve().parents[3]
STARTUP_TIMEOUT_SECONDS = 60.0
CANCEL_POLL_SECONDS = 0.1
# Rien d'autre ne passe : ni SECRET_KEY, ni clé de chiffrement, ni DATABASE_URL / REDIS_URL, ni Django.
_ENVIRONMENT = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
if os.name == "nt":  # Windows ne lance pas Python sans SYSTEMROOT (ni secret, ni réglage : un chemin système)
    _ENVIRONMENT = {
        **_ENVIRONMENT,
        "PATH": os.environ.get("SYSTEMROOT", r"C:\Windows"),
        "SYSTEMROOT": os.environ.get("SYSTEMROOT", r"C:\Windows"),
    }
_BOOTSTRAP = "import sys; sys.path.insert(0, {backend!r}); from {module} import main; main({memory}, {layers!r})"
_degraded_logged: set[str] = set()


class RunnerError(Exception):
    """Le runner n'a pas rendu de résultat ; `message` est en français."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RunnerTimeout(RunnerError):
    pass


class RunnerCrashed(RunnerError):
    pass


class StrategyFailed(RunnerError):
    def __init__(self, message: str, *, line: int | None = None, method: str | None = None):
        super().__init__(message)
        self.line = line
        self.method = method

    def as_code_error(self) -> CodeError:
        return CodeError(self.line, None, self.message)


class ConfinementMissing(RunnerCrashed):
    """Le runner n'a pas pu se confiner entièrement et le réglage refuse d'exécuter sans confinement."""


class CodeRefused(RunnerError):
    def __init__(self, errors: list[CodeError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class StrategyRunner:
    """Un processus runner réutilisé d'un appel à l'autre ; un appel à la fois (verrou).

    `require_confinement` (booléen ou fonction relue à chaque démarrage) : refuser un runner dont une couche du
    confinement manque. `layers` et `module` ne servent qu'aux tests du confinement."""

    def __init__(
        self,
        *,
        memory_limit_bytes: int = 1 << 30,
        require_confinement=False,
        layers: tuple[str, ...] = LAYERS,
        module: str = WORKER_MODULE,
    ):
        self.memory_limit_bytes = memory_limit_bytes
        self.require_confinement = require_confinement
        self.layers = tuple(layers)
        self.module = module
        self.confinement_missing: dict[str, str] = {}
        self._job = None
        self._process: subprocess.Popen | None = None
        self._messages: queue.Queue | None = None
        self._workdir: str | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def confined_pid(self) -> int | None:
        """Le processus qui exécute les stratégies : l'enfant du runner dans ses espaces de noms s'il en a."""
        pid = self.pid
        if pid is None or "namespaces" in self.confinement_missing or sys.platform != "linux":
            return pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:  # noyau sans CONFIG_PROC_CHILDREN
            return None
        return int(children[0]) if children else None

    def call(
        self,
        command: str,
        args: dict | None = None,
        arrays: dict[str, np.ndarray] | None = None,
        *,
        timeout: float,
        on_progress=None,
        should_cancel=None,
    ) -> dict:
        """Le résultat de `command` ; les tableaux rendus par le runner y sont ajoutés sous leur nom.
        Pendant un calcul long, `on_progress(fraction)` reçoit la progression et `should_cancel()` vrai
        demande l'arrêt (le runner rend alors un résultat partiel)."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()
            deadline = time.monotonic() + timeout
            try:
                self._send({"command": command, "args": args or {}}, arrays)
                cancel_sent = False
                while True:
                    # Avec `should_cancel`, la demande d'arrêt est relue toutes les CANCEL_POLL_SECONDS même sans
                    # message du runner.
                    wait_until = (
                        deadline if should_cancel is None else min(deadline, time.monotonic() + CANCEL_POLL_SECONDS)
                    )
                    try:
                        body, out = self._read(wait_until)
                    except RunnerTimeout:
                        if time.monotonic() >= deadline:
                            raise
                        body, out = None, None
                    if body is not None and "progress" not in body:
                        break
                    if body is not None and on_progress is not None:
                        on_progress(float(body["progress"]))
                    if should_cancel is not None and not cancel_sent and should_cancel():
                        self._send({"command": "cancel"})
                        cancel_sent = True
            except RunnerTimeout:
                self._stop()
                raise RunnerTimeout(
                    f"Délai dépassé : la stratégie a mis plus de {timeout:g} s ; elle a été arrêtée."
                ) from None
            except (BrokenPipeError, EOFError, codec.ProtocolError) as exc:
                self._stop()
                raise RunnerCrashed(f"Le runner de stratégies s'est arrêté ({type(exc).__name__}).") from None
            except BaseException:
                self._stop()  # un rappel a échoué en plein échange : le runner n'est plus synchrone
                raise
        return {**_result(body), **out}

    def start(self) -> None:
        """Démarre le processus s'il ne tourne pas (sinon le premier `call` le fait) : démarrer coûte quelques
        secondes (confinement, imports), autant les passer pendant qu'autre chose attend."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()

    def _send(self, body: dict, arrays: dict | None = None) -> None:
        self._process.stdin.write(codec.encode(body, arrays))
        self._process.stdin.flush()

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _start(self) -> None:
        self._stop()
        self._workdir = tempfile.mkdtemp(prefix="aristobot-runner-")
        code = _BOOTSTRAP.format(
            backend=str(BACKEND_DIR), module=self.module, memory=int(self.memory_limit_bytes), layers=self.layers
        )
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=self._workdir,
            env={**_ENVIRONMENT, "HOME": self._workdir, "TMPDIR": self._workdir},
            start_new_session=True,  # POSIX : son groupe, tué d'un coup ; ignoré sous Windows
            close_fds=True,
        )
        if os.name == "nt":
            self._job = windows_job.confine(self._process, self.memory_limit_bytes)
        self._messages = queue.Queue()
        threading.Thread(
            target=self._pump, args=(self._process.stdout, self._messages), name="runner-lecture", daemon=True
        ).start()
        try:
            body, _ = self._read(time.monotonic() + STARTUP_TIMEOUT_SECONDS)
        except (RunnerTimeout, EOFError, codec.ProtocolError):
            self._stop()
            raise RunnerCrashed("Le runner de stratégies n'a pas démarré.") from None
        if not body.get("ready"):
            self._stop()
            raise RunnerCrashed("Le runner de stratégies n'a pas démarré.")
        self._check_confinement(body.get("confinement") or {})

    def _check_confinement(self, missing: dict[str, str]) -> None:
        self.confinement_missing = missing
        if not self.confinement_missing:
            return
        text = degraded_text(self.confinement_missing)
        if text not in _degraded_logged:
            _degraded_logged.add(text)
            logger.warning("%s", text)
        required = self.require_confinement() if callable(self.require_confinement) else self.require_confinement
        if required:
            self._stop()
            raise ConfinementMissing(
                f"{text}. Exécution refusée : STRATEGY_REQUIRE_CONFINEMENT l'interdit sur ce serveur."
            )

    @staticmethod
    def _pump(stream, messages: queue.Queue) -> None:
        """Fil de lecture (tubes : `select` n'y marche pas sous Windows) : chaque message du runner, puis
        l'exception qui a fini la lecture (EOFError à sa mort)."""

        def read_exactly(size: int) -> bytes:
            data = stream.read(size)
            if len(data) < size:
                raise EOFError
            return data

        try:
            while True:
                messages.put(codec.read_message(read_exactly))
        except BaseException as exc:
            messages.put(exc)

    def _read(self, deadline: float) -> tuple[dict, dict]:
        try:
            item = self._messages.get(timeout=max(deadline - time.monotonic(), 0))
        except queue.Empty:
            raise RunnerTimeout("") from None
        if isinstance(item, BaseException):
            raise item
        return item

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                try:
                    if os.name == "posix":
                        os.killpg(process.pid, signal.SIGKILL)
                    else:
                        process.kill()
                except ProcessLookupError:
                    pass
            process.wait()
            if self._job is not None:
                self._job, job = None, self._job
                windows_job.close(job)
            for stream in (process.stdin, process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None


class AsyncStrategyRunner:
    """La même chose pour le moteur : `await runner.call(...)` (l'attente se fait dans un fil)."""

    def __init__(self, runner: StrategyRunner):
        self.runner = runner

    async def call(
        self,
        command: str,
        args: dict | None = None,
        arrays: dict[str, np.ndarray] | None = None,
        *,
        timeout: float,
        on_progress=None,
        should_cancel=None,
    ) -> dict:
        return await asyncio.to_thread(
            self.runner.call,
            command,
            args,
            arrays,
            timeout=timeout,
            on_progress=on_progress,
            should_cancel=should_cancel,
        )


def degraded_text(missing: dict[str, str]) -> str:
    return "sandbox dégradé : " + " ; ".join(missing.values())


def _result(body: dict) -> dict:
    if body.get("ok"):
        return body.get("result") or {}
    error = body.get("error") or {}
    message = str(error.get("message") or "Erreur inconnue du runner.")
    if error.get("kind") == "policy":
        raise CodeRefused(
            [CodeError(e.get("line"), e.get("column"), str(e.get("message"))) for e in error.get("errors") or []]
        )
    if error.get("kind") == "code":
        line = error.get("line")
        raise StrategyFailed(message, line=line if isinstance(line, int) else None, method=error.get("method"))
    raise RunnerError(message)
