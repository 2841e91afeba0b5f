"""Les processus d'Aristobot, sous le superviseur : Daphne, heartbeat, moteur, workers des webhooks et des
backtests, alertes, chien de garde, Vite (et le simulateur Binance hors ligne).

Seul, après les migrations (ce que fait `python run.py`) :
  python scripts/processes.py [--offline] [--web-port 8000] [--simulator-port 9443] [--without-frontend]
"""

import argparse
import shutil
import socket
import sys
from pathlib import Path

from supervisor import WINDOWS, Service, Supervisor

ROOT = Path(__file__).resolve().parents[1]
BACKEND, FRONTEND = ROOT / "backend", ROOT / "frontend"


def offline_env(simulator_port: int) -> dict[str, str]:
    return {
        "BINANCE_WS_URL": f"ws://127.0.0.1:{simulator_port}",
        "BINANCE_REST_URL": f"http://127.0.0.1:{simulator_port}",
    }


def web_listener(port: int) -> socket.socket:
    """Le port de Daphne, ouvert ici et gardé par le superviseur pendant toute la session : Daphne le reçoit
    (`daphne --fd`) ; pendant qu'il redémarre, les connexions attendent dans la file du noyau au lieu d'être
    refusées (un webhook de TradingView n'est jamais renvoyé)."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(1024)
    listener.set_inheritable(True)
    return listener


def web_command(python: str, web_port: int) -> tuple[list[str], tuple[int, ...]]:
    """(commande, descripteurs transmis) de Daphne : le port du superviseur sous POSIX ; sous Windows, où Twisted
    ne reprend pas un socket hérité, Daphne ouvre le sien."""
    if WINDOWS:
        return [python, "-m", "daphne", "-b", "127.0.0.1", "-p", str(web_port), "aristobot.asgi:application"], ()
    fd = web_listener(web_port).detach()
    return [python, "-m", "daphne", "--fd", str(fd), "aristobot.asgi:application"], (fd,)


def aristobot_processes(
    *, offline: bool = False, web_port: int = 8000, simulator_port: int = 9443, frontend: bool = True
) -> list[Service]:
    python = sys.executable
    web_args, web_fds = web_command(python, web_port)
    env = offline_env(simulator_port) if offline else {}
    # Le simulateur d'abord : le heartbeat s'y connecte dès son démarrage.
    services = (
        [
            Service(
                "simulator", [python, "manage.py", "run_binance_simulator", "--port", str(simulator_port)], BACKEND, env
            )
        ]
        if offline
        else []
    )
    services += [
        Service("web", web_args, BACKEND, env, pass_fds=web_fds),
        Service("heartbeat", [python, "manage.py", "run_heartbeat"], BACKEND, env),
        Service("engine", [python, "manage.py", "run_trading_engine"], BACKEND, env),
        Service("webhooks", [python, "manage.py", "run_webhook_worker"], BACKEND, env),
        Service("backtests", [python, "manage.py", "run_backtest_worker"], BACKEND, env),
        Service("alerts", [python, "manage.py", "run_alerts"], BACKEND, env),
        Service("watchdog", [python, "manage.py", "run_watchdog"], BACKEND, env),
    ]
    if frontend:
        # Vite lancé par node directement : pas de npm ni de .cmd entre le superviseur et lui.
        node = shutil.which("node") or "node"
        services.append(
            Service(
                "frontend",
                [node, str(FRONTEND / "node_modules" / "vite" / "bin" / "vite.js")],
                FRONTEND,
                {"ARISTOBOT_BACKEND_URL": f"http://127.0.0.1:{web_port}"},
            )
        )
    return services


def listening_ports(
    *, offline: bool = False, web_port: int = 8000, simulator_port: int = 9443, frontend: bool = True
) -> dict[str, int]:
    ports = {"Daphne": web_port}
    if frontend:
        ports["Vite"] = 5173
    if offline:
        ports["le simulateur Binance"] = simulator_port
    return ports


def ensure_ports_free(ports: dict[str, int]) -> None:
    """Lève SystemExit (message français) si un port est déjà pris, par exemple par un lancement précédent
    resté en vie : sinon le service serait relancé sans fin."""
    for owner, port in ports.items():
        with socket.socket() as sock:
            sock.settimeout(0.3)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(
                    f"Le port {port} (pour {owner}) est déjà pris : un autre Aristobot tourne-t-il "
                    "encore ? Arrêtez-le (ou le programme qui écoute sur ce port), puis relancez."
                )


def supervise(services: list[Service]) -> int:
    return Supervisor(services).run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lance et supervise les processus d'Aristobot (base déjà migrée).")
    parser.add_argument("--offline", action="store_true", help="ajoute le simulateur Binance et y branche le heartbeat")
    parser.add_argument("--web-port", type=int, default=8000)
    parser.add_argument("--simulator-port", type=int, default=9443)
    parser.add_argument("--without-frontend", action="store_true", help="sans Vite")
    args = parser.parse_args(argv)
    options = {
        "offline": args.offline,
        "web_port": args.web_port,
        "simulator_port": args.simulator_port,
        "frontend": not args.without_frontend,
    }
    ensure_ports_free(listening_ports(**options))
    return supervise(aristobot_processes(**options))


if __name__ == "__main__":
    sys.exit(main())
