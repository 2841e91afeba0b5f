"""GET /api/strategies/assistant/status/ : ce que montre le panneau (actif, fournisseur, modèle ou raison)."""

import pytest

from apps.strategies.assistant.providers import DISABLED
from apps.strategies.assistant.tests.conftest import OPENROUTER_KEY

pytestmark = pytest.mark.django_db
URL = "/api/strategies/assistant/status/"


def test_both_off_explains_how_to_enable(alice_api):
    assert alice_api.get(URL).json() == {"enabled": False, "provider": None, "model": None, "detail": DISABLED}
    assert "Mon compte" in DISABLED


def test_openrouter_on_shows_its_model_never_the_key(alice, alice_api):
    alice.ai_openrouter_enabled, alice.ai_openrouter_key = True, OPENROUTER_KEY
    alice.ai_openrouter_model = "anthropic/claude-3.5-sonnet"
    alice.save()
    response = alice_api.get(URL)
    assert response.json() == {
        "enabled": True,
        "provider": "OpenRouter",
        "model": "anthropic/claude-3.5-sonnet",
        "detail": "",
    }
    assert OPENROUTER_KEY not in response.content.decode()


def test_ollama_on_shows_its_model(alice, alice_api):
    alice.ai_ollama_enabled = True
    alice.save()
    assert alice_api.get(URL).json()["provider"] == "Ollama"
    assert alice_api.get(URL).json()["model"] == "qwen2.5-coder:7b"


def test_each_user_sees_their_own_settings(alice, alice_api, bob_api):
    alice.ai_ollama_enabled = True
    alice.save()
    assert bob_api.get(URL).json()["enabled"] is False
