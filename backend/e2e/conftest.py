"""Bout en bout : vraie base, vrai Daphne, SPA construit servi par Vite, Chromium de Debian piloté par Playwright."""

import fcntl
import os
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from e2e.servers import FRONTEND, App, manage
from testing.database import database_url
from testing.parallel import test_database_name

# Chromium de Debian ; ailleurs (Windows, macOS) `python run.py test` y met Chrome ou Edge.
CHROMIUM = os.environ.get("ARISTOBOT_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "e2e-artifacts"


def pytest_collection_modifyitems(items):
    """Marque e2e ; sous pytest-xdist (`--dist loadgroup`), tous sur un même worker : une seule paire d'apps
    (Daphne + SPA), un seul Chromium, une seule base e2e."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))


def _fresh_database(name: str) -> None:
    import psycopg2
    from django.conf import settings

    db = settings.DATABASES["default"]
    connection = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"]
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


@pytest.fixture(scope="session")
def e2e_env():
    name = test_database_name("aristobot_e2e")
    _fresh_database(name)
    env = dict(os.environ, DATABASE_URL=database_url(name), DEBUG="True", DEBUG_ARISTOBOT="True", PYTHONUNBUFFERED="1")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "init_aristobot")
    return env


@pytest.fixture(scope="session")
def spa_build():
    """Le SPA construit une fois par lancement de pytest, même réparti sur plusieurs workers (verrou de fichier)."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))
    stamp = FRONTEND / "dist" / ".pytest-run"
    with open(FRONTEND / ".spa-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stamp.exists() or stamp.read_text() != run:
            subprocess.run(["npm", "run", "build", "--silent"], cwd=FRONTEND, check=True, stdout=subprocess.DEVNULL)
            stamp.write_text(run)


@pytest.fixture(scope="session")
def log_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def _app(name, env, log_dir):
    app = App(name, env, log_dir).start()
    yield app
    app.stop()


@pytest.fixture(scope="session")
def dev_app(e2e_env, spa_build, log_dir):
    """Application en mode dev (DEBUG_ARISTOBOT=True) : pas de page de connexion."""
    yield from _app("dev", e2e_env, log_dir)


@pytest.fixture(scope="session")
def prod_app(e2e_env, spa_build, log_dir):
    """Même base, mode dev coupé : la connexion est exigée."""
    yield from _app("prod", dict(e2e_env, DEBUG="True", DEBUG_ARISTOBOT="False"), log_dir)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request, log_dir):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        page.screenshot(path=str(log_dir / f"{request.node.name}.png"))
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
