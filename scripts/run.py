"""`make run` : base, Redis, migrations, init_aristobot, puis web + heartbeat + moteur + webhooks + front (honcho).

`--offline` (`make run-offline`) ajoute le simulateur Binance local et y branche le heartbeat.
"""
import os
import signal
import subprocess
import sys
from pathlib import Path

from dotenv_file import ensure_dotenv
from local_services import ROOT, Services

BIN = Path(sys.executable).parent
SIMULATOR = "simulator: cd backend && exec python manage.py run_binance_simulator --port 9443\n"
OFFLINE_ENV = {"BINANCE_WS_URL": "ws://127.0.0.1:9443", "BINANCE_REST_URL": "http://127.0.0.1:9443"}


def manage(*args: str) -> None:
    if subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT / "backend").returncode:
        raise SystemExit(f"Échec de `manage.py {' '.join(args)}` : voir le message ci-dessus.")


def procfile(offline: bool) -> Path:
    if not offline:
        return ROOT / "Procfile"
    path = ROOT / ".data" / "Procfile.offline"
    path.parent.mkdir(exist_ok=True)
    path.write_text((ROOT / "Procfile").read_text() + SIMULATOR)
    return path


def main() -> int:
    offline = "--offline" in sys.argv[1:]
    if ensure_dotenv():
        print("Fichier .env créé depuis .env.example avec une SECRET_KEY neuve.")
    services = Services()
    services.start()
    try:
        manage("migrate", "--noinput", "-v", "0")
        manage("init_aristobot")
        print("\nAristobot3 démarre :\n  Application : http://localhost:5173\n  API / admin : http://localhost:8000/api/docs/"
              "  http://localhost:8000/admin/\nCtrl-C arrête tout (base et Redis compris).\n", flush=True)
        env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", PYTHONUNBUFFERED="1")
        if offline:
            print("Mode hors ligne : le heartbeat lit le simulateur Binance local (127.0.0.1:9443).\n", flush=True)
            env.update(OFFLINE_ENV)
        # `-e /dev/null` : Django lit .env lui-même, sans écraser l'environnement (honcho, lui, l'écraserait).
        honcho = subprocess.Popen(
            [str(BIN / "honcho"), "start", "-f", str(procfile(offline)), "-d", str(ROOT), "-e", "/dev/null"],
            cwd=ROOT, env=env,
        )
        signal.signal(signal.SIGTERM, lambda *_: honcho.send_signal(signal.SIGTERM))
        interrupted = False
        while True:
            try:
                code = honcho.wait()
                return 0 if interrupted else code
            except KeyboardInterrupt:
                interrupted = True
                honcho.send_signal(signal.SIGINT)
    finally:
        for line in services.stop():
            print(line)


if __name__ == "__main__":
    sys.exit(main())
