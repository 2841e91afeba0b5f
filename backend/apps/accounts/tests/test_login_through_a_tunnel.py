"""Derrière un tunnel sans TRUSTED_PROXY_HEADER, tous les visiteurs ont l'adresse 127.0.0.1 : des échecs en masse
ralentissent cette adresse sans bloquer personne, et le titulaire d'un compte, depuis un navigateur où il s'est
déjà connecté, entre tout de suite même quand son nom est attaqué."""

import logging
import secrets

import pytest
from conftest import PASSWORD
from rest_framework.test import APIClient

from apps.accounts import login_throttle
from apps.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db

URL = "/api/auth/login/"
TUNNEL = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}


@pytest.fixture
def dac(make_user):
    return make_user("dac", is_staff=True, is_superuser=True)


def _browser():
    return APIClient(**TUNNEL)


def _login(client, username, password):
    return client.post(URL, {"username": username, "password": password}, format="json")


@pytest.fixture
def dacs_browser(dac, prod_mode):
    """Le navigateur de dac, où il s'est déjà connecté par le tunnel (puis déconnecté)."""
    browser = _browser()
    assert _login(browser, "dac", PASSWORD).status_code == 200
    browser.post("/api/auth/logout/")
    return browser


def test_200_failures_with_random_usernames_lock_nobody_out(dacs_browser, prod_mode):
    attacker = _browser()
    codes = [_login(attacker, f"u{secrets.token_hex(4)}", "mauvais").status_code for _ in range(200)]
    assert set(codes) <= {400, 429} and codes.count(400) >= 10 and 429 in codes
    last_failure = LoginFailure.objects.latest("created_at").created_at  # au dernier échec, l'adresse attend
    assert login_throttle.retry_after(username="u-suivant", ip="127.0.0.1", now=last_failure) > 0

    response = _login(dacs_browser, "dac", PASSWORD)
    assert response.status_code == 200, response.content
    assert response.json()["user"]["username"] == "dac"

    newcomer = _login(_browser(), "dac", PASSWORD)  # navigateur neuf, même adresse : un délai, pas 15 minutes
    assert newcomer.status_code in (200, 429)
    if newcomer.status_code == 429:
        assert int(newcomer["Retry-After"]) <= login_throttle.MAX_ADDRESS_DELAY + 1


def test_the_address_delay_grows_and_stays_bounded(prod_mode, db):
    attacker = _browser()
    for number in range(login_throttle.LIMIT + 2):
        LoginFailure.objects.create(username=f"x{number}", ip="127.0.0.1")
    waits = []
    for extra in range(6):
        LoginFailure.objects.create(username=f"y{extra}", ip="127.0.0.1")
        waits.append(int(_login(attacker, "z", "mauvais")["Retry-After"]))
    assert waits[0] <= 8 < waits[1] <= 16 < waits[2] <= 32 < waits[3]
    assert waits[3:] == [login_throttle.MAX_ADDRESS_DELAY] * 3


def test_guessing_dacs_password_does_not_lock_dac_out_of_his_browser(dacs_browser, prod_mode):
    attacker = _browser()
    for _ in range(10):
        assert _login(attacker, "dac", "mauvais").status_code == 400
    blocked = _login(APIClient(REMOTE_ADDR="198.51.100.9"), "dac", PASSWORD)
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 800
    assert _login(dacs_browser, "dac", PASSWORD).status_code == 200


def test_a_forged_known_place_cookie_is_ignored(dac, prod_mode):
    for number in range(10):
        LoginFailure.objects.create(username="dac", ip=f"203.0.113.{number}")
    browser = APIClient(REMOTE_ADDR="198.51.100.9")
    browser.cookies[login_throttle.KNOWN_COOKIE] = '["dac"]'
    assert _login(browser, "dac", PASSWORD).status_code == 429


def test_forwarded_requests_without_trusted_proxy_header_are_reported_once(dac, prod_mode, monkeypatch, caplog):
    monkeypatch.setattr(login_throttle, "_relay_warned", False)
    with caplog.at_level(logging.WARNING, logger="aristobot.security"):
        _login(_browser(), "dac", "mauvais")
        _login(_browser(), "dac", "mauvais")
    assert caplog.text.count("sans TRUSTED_PROXY_HEADER") == 1
