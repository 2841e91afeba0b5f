"""`python run.py test` (`make test`), une fois installé : Vitest, puis pytest (backend + bout en bout dans
Chromium) sur PostgreSQL et Redis réels."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from dotenv_file import ensure_dotenv
from local_services import ROOT, Services

BIN = Path(sys.executable).parent


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
        front = subprocess.run([npm, "test", "--silent"], cwd=ROOT / "frontend", env=env).returncode
        back = subprocess.run([sys.executable, "-m", "pytest", *sys.argv[1:]], cwd=ROOT / "backend", env=env).returncode
    finally:
        services.stop()
    print(f"Vitest : {'OK' if front == 0 else 'ÉCHEC'} ; pytest : {'OK' if back == 0 else 'ÉCHEC'}")
    return front or back


if __name__ == "__main__":
    sys.exit(main())
