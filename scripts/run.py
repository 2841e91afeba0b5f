"""`python run.py` (`make run`), une fois installé : base, Redis, migrations, init_aristobot, puis les
processus sous le superviseur (scripts/processes.py). `--offline` ajoute le simulateur Binance local."""

import subprocess
import sys

from dev_mode_warning import dev_mode_proxy_warning
from dotenv_file import ensure_dotenv
from local_services import ROOT, Services
from processes import aristobot_processes, ensure_ports_free, listening_ports, supervise
from supervisor import stop_on_signals


def manage(*args: str) -> None:
    if subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT / "backend").returncode:
        raise SystemExit(f"Échec de `manage.py {' '.join(args)}` : voir le message ci-dessus.")


def main(argv: list[str]) -> int:
    stop_on_signals()
    offline = "--offline" in argv
    if ensure_dotenv():
        print("Fichier .env créé depuis .env.example avec une SECRET_KEY neuve.")
    services = Services()
    warning = dev_mode_proxy_warning()
    if warning:
        print(warning, flush=True)
    ensure_ports_free(listening_ports(offline=offline))
    services.start()
    try:
        manage("migrate", "--noinput", "-v", "0")
        manage("init_aristobot")
        print(
            "\nAristobot3 démarre :\n  Application : http://localhost:5173\n"
            "  API / admin : http://localhost:8000/api/docs/  http://localhost:8000/admin/\n"
            "Un service qui s'arrête est relancé seul ; Ctrl-C arrête tout "
            "(base et Redis compris s'ils ont été démarrés ici).\n",
            flush=True,
        )
        if offline:
            print("Mode hors ligne : le heartbeat lit le simulateur Binance local (127.0.0.1:9443).\n", flush=True)
        if warning:
            print(warning, flush=True)  # redit après les messages du démarrage
        return supervise(aristobot_processes(offline=offline))
    finally:
        for line in services.stop():
            print(line)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:  # Ctrl-C avant le superviseur (migrations) : base et Redis déjà arrêtés
        sys.exit("Démarrage interrompu.")
