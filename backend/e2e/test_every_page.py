"""Chaque page du menu : aucune erreur dans la console, ouverture en haut de page ; la barre de statut dit
pourquoi le heartbeat n'est pas cohérent ; pas de formulaire de mot de passe pour `dev`."""

import re

import pytest
from playwright.sync_api import expect

from e2e.servers import FRONTEND

# Les pages du menu, lues dans le routeur du front (menuRoutes).
ROUTER = (FRONTEND / "src" / "router" / "index.js").read_text()
MENU_BLOCK = ROUTER.split("export const menuRoutes = [", 1)[1].split("\n]", 1)[0]
PAGES = re.findall(r"path: '(/[^']*)', name: '([^']+)', label: '([^']+)'", MENU_BLOCK)

INCOHERENT = """
from datetime import timedelta
from django.utils import timezone
from apps.heartbeat.models import HeartbeatStatus
now = timezone.now()
HeartbeatStatus.objects.update_or_create(pk=1, defaults={
    "connected": True, "last_message_at": now, "coherent": False, "incoherent_since": now - timedelta(minutes=3),
    "starting": [], "backfilling": [],
    "gaps": [{"symbol": "BTC/USDT", "start": "2024-03-01T23:53:00+00:00", "end": "2024-03-01T23:56:00+00:00",
              "minutes": 4, "reason": "unavailable"}],
})
"""
RESET = "from apps.heartbeat.models import HeartbeatStatus; HeartbeatStatus.objects.filter(pk=1).delete()"


def console_errors(page) -> list[str]:
    """Erreurs de la console, exceptions non rattrapées et avertissements de Vue / Vue Router, au fil de l'eau."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error" or (message.type == "warning" and message.text.startswith("[Vue")):
            errors.append(f"console {message.type} : {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"exception : {error}"))
    return errors


def test_the_router_gives_the_pages_of_the_menu():
    assert len(PAGES) == 9 and ("/heartbeat", "heartbeat", "Heartbeat") in PAGES


@pytest.mark.parametrize("path, name, title", PAGES, ids=[name for _, name, _ in PAGES])
def test_each_page_opens_without_a_console_error(dev_app, page, path, name, title):
    errors = console_errors(page)
    page.goto(dev_app.url + path)
    expect(page.get_by_test_id("page-title")).to_have_text(title)
    expect(page.get_by_test_id("ws-state")).to_have_text("connecté")
    page.wait_for_load_state("networkidle")
    assert errors == []
    icon = page.request.get(dev_app.url + page.locator("link[rel=icon]").get_attribute("href"))
    assert icon.ok and icon.headers["content-type"].startswith("image/svg")


def test_the_login_page_has_no_console_error(prod_app, page):
    errors = console_errors(page)
    page.goto(prod_app.url + "/login")
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert errors == []


def scroll_to_bottom(page) -> None:
    """Défilement immédiat (la molette de Chromium anime et peut finir sur la page suivante), répété tant que
    le contenu chargé après l'ouverture n'a pas allongé la page."""
    page.wait_for_function(
        "(window.scrollTo({top: document.body.scrollHeight, behavior: 'instant'}), window.scrollY > 0)"
    )


def test_a_page_opens_at_the_top_even_from_a_scrolled_page(dev_app, page):
    page.set_viewport_size({"width": 1400, "height": 500})
    page.goto(dev_app.url + "/mon-compte")
    expect(page.get_by_test_id("preferences-save")).to_be_visible()
    scroll_to_bottom(page)
    assert page.evaluate("window.scrollY") > 200
    expect(page.get_by_test_id("nav-webhooks")).to_be_in_viewport()  # le menu reste visible en défilant
    page.get_by_test_id("nav-webhooks").click()
    expect(page.get_by_test_id("page-title")).to_have_text("Webhooks")
    page.wait_for_function("window.scrollY === 0", timeout=3000)
    scroll_to_bottom(page)
    page.go_back()
    expect(page.get_by_test_id("page-title")).to_have_text("Mon compte")
    page.wait_for_function("window.scrollY === 0", timeout=3000)


def test_non_coherent_says_why_on_hover_and_on_the_heartbeat_page(dev_app, page):
    dev_app.manage("shell", "-c", INCOHERENT)
    try:
        page.goto(dev_app.url + "/heartbeat")
        coherent = page.get_by_test_id("heartbeat-coherent")
        expect(coherent).to_have_text("Non cohérent")
        expect(coherent).to_have_attribute(
            "title",
            re.compile(
                r"Non cohérent depuis \d{4}-\d\d-\d\d \d\d:\d\d\.\n1 trou\(s\) dans les bougies 1m\.\n"
                r"BTC/USDT : 4 min, du 2024-03-01 23:53 au 2024-03-01 23:56, "
                r"rattrapage impossible \(Binance injoignable\) : ne seront pas comblées"
            ),
        )
        panel = page.get_by_test_id("coherence-panel")
        expect(panel.get_by_test_id("coherence-state")).to_have_text("Non cohérent")
        expect(panel.get_by_test_id("coherence-gap")).to_have_text(
            re.compile(r"BTC/USDT\s*2024-03-01 23:53\s*2024-03-01 23:56\s*4\s*rattrapage impossible")
        )
    finally:
        dev_app.manage("shell", "-c", RESET)
    page.reload()
    expect(page.get_by_test_id("heartbeat-coherent")).to_have_text("—")
    expect(page.get_by_test_id("heartbeat-coherent")).to_have_attribute(
        "title", "Heartbeat jamais démarré : cohérence inconnue."
    )


def test_the_password_form_is_hidden_for_dev_and_shown_to_a_user_with_a_password(dev_app, prod_app, page):
    page.goto(dev_app.url + "/mon-compte")
    expect(page.get_by_test_id("preferences-save")).to_be_visible()
    expect(page.get_by_test_id("password-old")).to_have_count(0)
    page.goto(prod_app.url + "/login")
    page.get_by_test_id("login-username").fill("dac")
    page.get_by_test_id("login-password").fill("aristobot")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("current-user")).to_have_text(re.compile("dac"))
    page.goto(prod_app.url + "/mon-compte")
    expect(page.get_by_test_id("password-old")).to_be_visible()


NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_no_page_scrolls_sideways_at_1280_and_1600_in_both_themes(dev_app, page):
    for width, height in ((1280, 800), (1600, 1000)):
        page.set_viewport_size({"width": width, "height": height})
        for path, _, title in PAGES:
            page.goto(dev_app.url + path)
            expect(page.get_by_test_id("page-title")).to_have_text(title)
            page.wait_for_load_state("networkidle")
            for theme in ("dark", "light"):
                page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{path} à {width} px, thème {theme} : {wide} px de large"
