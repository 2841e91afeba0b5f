"""`python run.py test` (`make test`), une fois installé : lint, Vitest, puis pytest (backend + bout en bout dans
Chromium) sur PostgreSQL et Redis réels."""

import os
import shutil
import subprocess
import sys
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


def lint(env: dict) -> bool:
    """Lance chaque étape de lint ; n'affiche que celles qui échouent. Retourne True si tout passe."""
    ok = True
    for name, command, cwd in LINT:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        if done.returncode:
            ok = False
            print(f"Lint {name} : ÉCHEC\n{done.stdout}{done.stderr}".rstrip())
    return ok


def main() -> int:
    ensure_dotenv()
    services = Services()
    services.start()
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    if services.redis:
        # base Redis distincte de celle de `make run`
        env["REDIS_URL"] = f"redis://{services.redis.host}:{services.redis.port}/1"
    try:
        npm = shutil.which("npm") or "npm"
        linted = lint(env)
        front = subprocess.run([npm, "test", "--silent"], cwd=ROOT / "frontend", env=env).returncode
        back = subprocess.run([sys.executable, "-m", "pytest", *sys.argv[1:]], cwd=ROOT / "backend", env=env).returncode
    finally:
        services.stop()
    print(
        f"Lint : {'OK' if linted else 'ÉCHEC'} ; Vitest : {'OK' if front == 0 else 'ÉCHEC'} ; "
        f"pytest : {'OK' if back == 0 else 'ÉCHEC'}"
    )
    return front or back or int(not linted)


if __name__ == "__main__":
    sys.exit(main())
