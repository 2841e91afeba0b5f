import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSWORD

from apps.core.symbols import USD_ASSETS

pytestmark = pytest.mark.django_db

BACKEND = Path(__file__).resolve().parents[3]


def test_anonymous_visitor_is_dev_in_dev_mode(api, dev, dev_mode):
    body = api.get("/api/auth/current/").json()
    assert body["dev_mode"] is True
    assert body["user"]["username"] == "dev"
    assert body["user"]["is_dev"] is True
    assert api.get("/api/accounts/preferences/").status_code == 200


def test_login_as_another_user_then_logout_returns_to_dev(api, dev, alice, dev_mode):
    response = api.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    assert response.json()["user"]["username"] == "alice"
    assert api.get("/api/auth/current/").json()["user"]["username"] == "alice"
    assert api.post("/api/auth/logout/").json()["user"]["username"] == "dev"
    assert api.get("/api/auth/current/").json()["user"]["username"] == "dev"


def test_no_auto_login_when_dev_mode_is_off(api, dev, prod_mode):
    assert api.get("/api/auth/current/").json() == {"user": None, "dev_mode": False, "usd_assets": sorted(USD_ASSETS)}


def test_dev_cannot_log_in_with_any_password(api, dev, prod_mode):
    response = api.post("/api/auth/login/", {"username": "dev", "password": ""}, format="json")
    assert response.status_code == 400


def _dev_mode_for(debug: str, debug_aristobot: str) -> str:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEV_MODE)"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "aristobot.settings",
        "SECRET_KEY": "k" * 40,
        "DEBUG": debug,
        "DEBUG_ARISTOBOT": debug_aristobot,
    }
    done = subprocess.run([sys.executable, "-c", code], cwd=BACKEND, env=env, capture_output=True, text=True)
    return done.stdout.strip() + done.stderr


def test_debug_aristobot_is_ignored_without_debug():
    out = _dev_mode_for("False", "True")
    assert out.startswith("False")
    assert "ignoré" in out


def test_debug_aristobot_with_debug_enables_dev_mode_loudly():
    out = _dev_mode_for("True", "True")
    assert out.startswith("True")
    assert "MODE DEV ACTIF" in out


def test_bad_setting_value_fails_with_a_clear_message():
    out = _dev_mode_for("peut-être", "True")
    assert "DEBUG='peut-être' : valeur invalide, attendu True ou False." in out
