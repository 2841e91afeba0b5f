"""Démarrage commun des bancs (`bench/*_bench.py`) : chemins du projet, PostgreSQL et Redis locaux, Django sur une
base de banc gardée d'un lancement à l'autre."""

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "backend"), str(ROOT / "scripts")]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aristobot.settings")
    import django

    django.setup()


@contextmanager
def bench_services(database: str, redis_db: int, *, debug: bool = True):
    """PostgreSQL et Redis démarrés s'il le faut ; REDIS_URL sur la base `redis_db` et journaux réduits, hérités
    par les processus enfants ; Django prêt sur la base de test `database`. Tout est rendu à la sortie."""
    from local_services import Services

    services = Services()
    services.start()
    try:
        redis = urlparse(os.environ.get("REDIS_URL") or "redis://127.0.0.1:63790/0")
        os.environ["REDIS_URL"] = redis._replace(path=f"/{redis_db}").geturl()
        os.environ["LOG_LEVEL"] = "WARNING"
        if not debug:
            os.environ["DEBUG"] = "False"  # comme en production : pas de requêtes SQL gardées en mémoire
        setup_django()
        from django.conf import settings
        from django.db import connections
        from django.test.utils import setup_databases, teardown_databases

        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = database
        databases = setup_databases(verbosity=0, interactive=False, keepdb=True)
        try:
            yield
        finally:
            connections.close_all()
            teardown_databases(databases, verbosity=0, keepdb=True)
    finally:
        for message in services.stop():
            print(message)
