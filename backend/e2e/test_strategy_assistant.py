"""Bout en bout, assistant IA de la page Stratégies, contre un faux OpenRouter local (flux SSE réel)."""

import re

import pytest
from playwright.sync_api import expect

from e2e.servers import App
from testing.fake_ollama import FakeOllama
from testing.fake_openrouter import FakeOpenRouter

KEY = "sk-or-v1-e2e"
SET_PROVIDER = """
from apps.accounts.models import User
User.objects.filter(username="dev").update(
    ai_openrouter_enabled={on}, ai_openrouter_key={key!r}, ai_ollama_enabled=False)
"""
SET_OLLAMA = """
from apps.accounts.models import User
User.objects.filter(username="dev").update(ai_openrouter_enabled=False, ai_ollama_enabled=True, ai_ollama_url={url!r})
"""


@pytest.fixture(scope="module")
def fake_openrouter():
    with FakeOpenRouter(api_key=KEY) as fake:
        yield fake
        fake.gate.set()


@pytest.fixture(scope="module")
def fake_ollama():
    with FakeOllama() as fake:
        yield fake
        fake.gate.set()


@pytest.fixture(scope="module")
def ai_app(e2e_env, spa_build, log_dir, fake_openrouter):
    """L'application, son OPENROUTER_BASE_URL pointé sur le faux OpenRouter."""
    app = App("assistant", dict(e2e_env, OPENROUTER_BASE_URL=fake_openrouter.base_url), log_dir).start()
    yield app
    app.manage("shell", "-c", SET_PROVIDER.format(on=False, key=""))
    app.stop()


def open_new_strategy(app, page) -> str:
    """Ouvre une nouvelle stratégie (le modèle) ; rend la ligne « class …(Strategy): » du modèle."""
    template = page.request.get(app.url + "/api/strategies/template/").json()["code"]
    class_line = re.search(r"^class \w+\(Strategy\):", template, re.MULTILINE).group(0)
    page.goto(app.url + "/strategies")
    page.get_by_test_id("strategy-new").click()
    expect(page.locator(".cm-line", has_text=class_line)).to_be_visible()
    return class_line


def test_the_answer_grows_while_streamed_then_replaces_the_code_with_undo(ai_app, fake_openrouter, page):
    ai_app.manage("shell", "-c", SET_PROVIDER.format(on=True, key=KEY))
    fake_openrouter.pause_after, fake_openrouter.midstream_error = 4, None
    fake_openrouter.gate.clear()
    template_class = open_new_strategy(ai_app, page)
    expect(page.get_by_test_id("assistant-provider")).to_have_text("OpenRouter · openai/gpt-4o-mini")

    page.get_by_test_id("assistant-request").fill("Écris une stratégie de croisement de moyennes")
    page.get_by_test_id("assistant-send").click()
    answer = page.get_by_test_id("assistant-answer")
    expect(answer).to_contain_text("Voici une stratégie de croisement")  # 4 premiers morceaux
    expect(page.get_by_test_id("assistant-streaming")).to_be_visible()
    expect(answer).not_to_contain_text("Testez-la")  # la suite est retenue par le faux OpenRouter
    expect(page.get_by_test_id("assistant-insert")).to_have_count(0)

    fake_openrouter.gate.set()
    expect(answer).to_contain_text("Testez-la avec le bouton « Tester ».")
    expect(page.get_by_test_id("assistant-streaming")).to_have_count(0)
    sent = fake_openrouter.requests[-1].json["messages"][1]["content"]
    assert template_class in sent and "Écris une stratégie de croisement" in sent

    page.get_by_test_id("assistant-insert").click()
    expect(page.locator(".cm-line", has_text="class SmaCross(Strategy):")).to_be_visible()
    expect(page.locator(".cm-line", has_text=template_class)).to_have_count(0)
    expect(page.get_by_test_id("strategy-dirty")).to_be_visible()

    page.keyboard.press("Control+z")  # l'insertion est une seule transaction de l'éditeur
    expect(page.locator(".cm-line", has_text=template_class)).to_be_visible()
    expect(page.locator(".cm-line", has_text="class SmaCross")).to_have_count(0)


def test_ollama_answer_streams_into_the_panel_too(ai_app, fake_ollama, page):
    ai_app.manage("shell", "-c", SET_OLLAMA.format(url=fake_ollama.url))
    fake_ollama.pause_after = 3
    fake_ollama.gate.clear()
    open_new_strategy(ai_app, page)
    expect(page.get_by_test_id("assistant-provider")).to_have_text("Ollama · qwen2.5-coder:7b")
    page.get_by_test_id("assistant-request").fill("Une stratégie de croisement")
    page.get_by_test_id("assistant-send").click()
    answer = page.get_by_test_id("assistant-answer")
    expect(answer).to_contain_text("Voici une stratégie")
    expect(answer).not_to_contain_text("Testez-la")

    fake_ollama.gate.set()
    expect(answer).to_contain_text("Testez-la avec le bouton « Tester ».")
    page.get_by_test_id("assistant-insert").click()
    expect(page.locator(".cm-line", has_text="class SmaCross(Strategy):")).to_be_visible()


def test_a_refused_key_is_shown_in_french(ai_app, fake_openrouter, page):
    ai_app.manage("shell", "-c", SET_PROVIDER.format(on=True, key="sk-or-v1-perimee"))
    fake_openrouter.pause_after = None
    open_new_strategy(ai_app, page)
    page.get_by_test_id("assistant-request").fill("Aide-moi")
    page.get_by_test_id("assistant-send").click()
    expect(page.get_by_test_id("assistant-error")).to_have_text("OpenRouter : clé refusée (401)")


def test_both_providers_off_disables_the_panel(ai_app, page):
    ai_app.manage("shell", "-c", SET_PROVIDER.format(on=False, key=""))
    open_new_strategy(ai_app, page)
    expect(page.get_by_test_id("assistant-disabled")).to_contain_text("activez OpenRouter ou Ollama dans Mon compte")
    expect(page.get_by_test_id("assistant-request")).to_be_disabled()
    expect(page.get_by_test_id("assistant-send")).to_be_disabled()
