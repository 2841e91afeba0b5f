"""`python run.py test` (`make test`), une fois installé : pytest (backend + bout en bout dans Chromium) sur
PostgreSQL et Redis réels, réparti sur plusieurs workers pytest-xdist ; lint et Vitest tournent pendant ce temps.

Chaque worker a sa base PostgreSQL (suffixe « _gwN », `testing/parallel.py`) et sa base Redis (numéro de la base
de REDIS_URL + N). ARISTOBOT_TEST_WORKERS fixe leur nombre (1 : un seul processus, sans xdist)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

from dotenv_file import ensure_dotenv
from local_services import ROOT, Services

BIN = Path(sys.executable).parent
# Étapes de lint : (nom, commande, dossier) ; une erreur fait échouer `make test`.
LINT = [
    ("ruff", [sys.executable, "-m", "ruff", "check", "--quiet", "."], ROOT),
    ("ruff format", [sys.executable, "-m", "ruff", "format", "--check", "--quiet", "."], ROOT),
    ("eslint", [shutil.which("npm") or "npm", "run", "lint", "--silent"], ROOT / "frontend"),
]
# Les tests attendent surtout (processus lancés, Chromium, réseau local) : plus de workers que de cœurs.
DEFAULT_WORKERS = 4
REDIS_DATABASES = 16


def lint(env: dict) -> bool:
    """Lance chaque étape de lint ; n'affiche que celles qui échouent. Retourne True si tout passe."""
    ok = True
    for name, command, cwd in LINT:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        if done.returncode:
            ok = False
            print(f"Lint {name} : ÉCHEC\n{done.stdout}{done.stderr}".rstrip())
    return ok


def worker_options(redis_url: str, args: list[str]) -> list[str]:
    """Options xdist : un `--tx` par worker, chacun avec sa base Redis. Rien si l'appelant choisit lui-même."""
    workers = int(os.environ.get("ARISTOBOT_TEST_WORKERS", DEFAULT_WORKERS))
    if workers <= 1 or any(arg in ("-n", "--numprocesses", "--tx", "no:xdist") or arg.startswith("-n") for arg in args):
        return []
    parsed = urlparse(redis_url)
    first = int(parsed.path.lstrip("/") or 0)
    if first + workers > REDIS_DATABASES:
        raise SystemExit(f"REDIS_URL : base {first} + {workers} workers dépasse les {REDIS_DATABASES} bases de Redis.")
    options = ["--dist", "loadgroup"]
    for number in range(workers):
        url = parsed._replace(path=f"/{first + number}").geturl()
        options += ["--tx", f"popen//env:REDIS_URL={url}"]
    return options


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
        # Vitest pendant pytest ; sa sortie est montrée à la fin, pour ne pas se mêler à celle de pytest.
        front = subprocess.Popen(
            [npm, "test", "--silent"], cwd=ROOT / "frontend", env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        pytest = [sys.executable, "-m", "pytest", *worker_options(env["REDIS_URL"], args), *args]
        back = subprocess.run(pytest, cwd=ROOT / "backend", env=env).returncode
        front_output = front.communicate()[0].decode(errors="replace")
        print(front_output.rstrip())
        linted = lint(env)
    finally:
        services.stop()
    print(
        f"Lint : {'OK' if linted else 'ÉCHEC'} ; Vitest : {'OK' if front.returncode == 0 else 'ÉCHEC'} ; "
        f"pytest : {'OK' if back == 0 else 'ÉCHEC'}"
    )
    return front.returncode or back or int(not linted)


if __name__ == "__main__":
    sys.exit(main())
