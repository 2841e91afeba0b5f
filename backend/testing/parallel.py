"""Sessions de test en parallèle : chaque session (ARISTOBOT_TEST_DB_SUFFIX) et chaque worker pytest-xdist
(PYTEST_XDIST_WORKER, ex. « gw2 ») a ses propres bases PostgreSQL ; chaque worker a aussi sa base Redis, le
numéro de REDIS_URL plus le sien (gw0 : le même, gw1 : le suivant…)."""

import os
from urllib.parse import urlparse

REDIS_DATABASES = 16


def test_database_name(base: str) -> str:
    """`base` suivi du suffixe de session puis du worker : aristobot_r27_gw1."""
    parts = [base, os.environ.get("ARISTOBOT_TEST_DB_SUFFIX", ""), os.environ.get("PYTEST_XDIST_WORKER", "")]
    return "_".join(part for part in parts if part)


def worker_redis_url(url: str) -> str:
    """L'URL Redis du worker xdist courant ; `url` telle quelle hors xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker:
        return url
    parsed = urlparse(url)
    number = int(parsed.path.lstrip("/") or 0) + int(worker.removeprefix("gw"))
    if number >= REDIS_DATABASES:
        raise RuntimeError(f"{worker} : base Redis {number} au-delà des {REDIS_DATABASES} de Redis (REDIS_URL={url}).")
    return parsed._replace(path=f"/{number}").geturl()


def use_worker_redis(settings) -> None:
    """Branche ce worker sur sa base Redis : réglages Django et processus qu'il lance (Daphne, moteur…)."""
    url = worker_redis_url(settings.REDIS_URL)
    if url != settings.REDIS_URL:
        settings.REDIS_URL = url
        settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [url]
        os.environ["REDIS_URL"] = url
