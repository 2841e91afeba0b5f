"""`python run.py test` (`make test`), une fois installé : pytest (backend + bout en bout dans Chromium) sur
PostgreSQL et Redis réels, après Vitest, sur un processus ou N workers pytest-xdist ; le lint tourne pendant ce temps.

Chaque worker a sa base PostgreSQL (suffixe « _gwN ») et sa base Redis (numéro de celle de REDIS_URL + N) :
backend/testing/parallel.py. ARISTOBOT_TEST_WORKERS fixe leur nombre (1 : un seul processus, sans xdist)."""

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from dotenv_file import ensure_dotenv
from local_services import ROOT, Services

BIN = Path(sys.executable).parent
# Étapes de lint : (nom, commande, dossier) ; une erreur fait échouer `make test`.
LINT = [
    ("ruff", [sys.executable, "-m", "ruff", "check", "--quiet", "."], ROOT),
    ("ruff format", [sys.executable, "-m", "ruff", "format", "--check", "--quiet", "."], ROOT),
    ("eslint", [shutil.which("npm") or "npm", "run", "lint", "--silent"], ROOT / "frontend"),
]
# Un seul processus par défaut : sur 2 cœurs, 4 workers font passer pytest de 27 à 15 min, mais deux tests y
# échouent encore parfois sous la charge (arrêt du simulateur au Ctrl-C, page Heartbeat) ;
# ARISTOBOT_TEST_WORKERS=N répartit sur N workers xdist.
DEFAULT_WORKERS = 1


def lint(env: dict, failures: list[str]) -> None:
    """Lance chaque étape de lint ; garde dans `failures` la sortie de celles qui échouent."""
    for name, command, cwd in LINT:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        if done.returncode:
            failures.append(f"Lint {name} : ÉCHEC\n{done.stdout}{done.stderr}".rstrip())


def worker_options(args: list[str]) -> list[str]:
    """`-n N` (pytest-xdist) ; rien si l'appelant choisit lui-même ou si ARISTOBOT_TEST_WORKERS vaut 1."""
    workers = int(os.environ.get("ARISTOBOT_TEST_WORKERS", DEFAULT_WORKERS))
    if workers <= 1 or any(arg in ("-n", "--numprocesses", "no:xdist") or arg.startswith("-n") for arg in args):
        return []
    return ["-n", str(workers), "--dist", "loadgroup"]


def main() -> int:
    ensure_dotenv()
    services = Services(tests=True)
    services.start()
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    if services.redis:
        # base Redis distincte de celle de `make run`
        env["REDIS_URL"] = f"redis://{services.redis.host}:{services.redis.port}/1"
    args = sys.argv[1:]
    try:
        npm = shutil.which("npm") or "npm"
        # Vitest seul d'abord (ses délais de 5 s par test ne supportent pas de partager 2 cœurs avec pytest).
        front = subprocess.run([npm, "test", "--silent"], cwd=ROOT / "frontend", env=env).returncode
        # Le lint pendant pytest ; ses échecs sont montrés à la fin, pour ne pas se mêler à la sortie de pytest.
        lint_failures: list[str] = []
        linting = threading.Thread(target=lint, args=(env, lint_failures))
        linting.start()
        pytest = [sys.executable, "-m", "pytest", *worker_options(args), *args]
        back = subprocess.run(pytest, cwd=ROOT / "backend", env=env).returncode
        linting.join()
        for failure in lint_failures:
            print(failure)
        linted = not lint_failures
    finally:
        services.stop()
    print(
        f"Lint : {'OK' if linted else 'ÉCHEC'} ; Vitest : {'OK' if front == 0 else 'ÉCHEC'} ; "
        f"pytest : {'OK' if back == 0 else 'ÉCHEC'}"
    )
    return front or back or int(not linted)


if __name__ == "__main__":
    sys.exit(main())
