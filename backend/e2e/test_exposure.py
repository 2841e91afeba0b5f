"""Mode dev et pages de debug réservés au poste local : le relais de Vite (sans en-tête X-Forwarded-*) garde le
mode dev ; un navigateur derrière un proxy qui pose X-Forwarded-For doit se connecter et ne voit rien de technique."""

import json
import re
import urllib.error
import urllib.request

from playwright.sync_api import expect

from apps.core.symbols import USD_ASSETS

FORWARDED = {"X-Forwarded-For": "203.0.113.7"}


def _get(url: str, headers: dict) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_vite_relay_keeps_dev_mode_but_a_forwarded_visitor_is_anonymous(dev_app):
    status, body = _get(dev_app.url + "/api/auth/current/", {})
    assert status == 200 and json.loads(body)["dev_mode"] is True
    status, body = _get(dev_app.url + "/api/auth/current/", FORWARDED)
    assert status == 200 and json.loads(body) == {"user": None, "dev_mode": False, "usd_assets": sorted(USD_ASSETS)}
    assert _get(dev_app.url + "/api/brokers/", FORWARDED)[0] == 403


def test_forwarded_visitor_sees_no_debug_page(dev_app):
    status, body = _get(dev_app.url + "/api/nulle-part/", FORWARDED)
    assert (status, json.loads(body)) == (404, {"detail": "Page introuvable."})
    status, body = _get(dev_app.url + "/admin/nulle-part/", FORWARDED)
    assert status in (200, 404) and "Traceback" not in body and "URLconf" not in body  # 200 : page de connexion
    status, body = _get(dev_app.url + "/api/nulle-part/", {})
    assert status == 404 and "URLconf" in body  # le développeur, lui, garde la page de debug


def test_browser_behind_a_proxy_gets_the_login_page(dev_app, browser):
    context = browser.new_context(extra_http_headers=FORWARDED, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(dev_app.url)
        expect(page).to_have_url(re.compile("/login"))
        page.get_by_test_id("login-username").fill("dac")
        page.get_by_test_id("login-password").fill("aristobot")
        page.get_by_test_id("login-submit").click()
        expect(page.get_by_test_id("current-user")).to_have_text(re.compile("dac"))
        expect(page.get_by_test_id("ws-state")).to_have_text("connecté")
    finally:
        context.close()
