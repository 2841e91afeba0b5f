import pytest
from django.db import connection

pytestmark = pytest.mark.django_db
URL = "/api/accounts/preferences/"


def test_defaults(alice_api):
    body = alice_api.get(URL).json()
    assert body["theme"] == "dark"
    assert body["display_timezone"] == ""  # pas encore choisi : le navigateur y met son fuseau
    assert body["ai_ollama_url"] == "http://localhost:11434"
    assert body["ai_openrouter_key_set"] is False
    assert "ai_openrouter_key" not in body
    assert body["ai_openrouter_model"] == "openai/gpt-4o-mini"
    assert body["ai_ollama_model"] == "qwen2.5-coder:7b"


def test_ai_models_and_ollama_url_are_saved(alice_api, alice):
    payload = {
        "ai_openrouter_model": "anthropic/claude-3.5-sonnet",
        "ai_ollama_model": " llama3.1:8b ",
        "ai_ollama_url": "https://ollama.maison.lan:8443/",
    }
    body = alice_api.put(URL, payload, format="json").json()
    assert (body["ai_openrouter_model"], body["ai_ollama_model"]) == ("anthropic/claude-3.5-sonnet", "llama3.1:8b")
    alice.refresh_from_db()
    assert alice.ai_ollama_url == "https://ollama.maison.lan:8443/"


def test_update_theme_and_timezone(alice_api, alice):
    response = alice_api.put(URL, {"theme": "light", "display_timezone": "Europe/Paris"}, format="json")
    assert response.status_code == 200
    alice.refresh_from_db()
    assert (alice.theme, alice.display_timezone) == ("light", "Europe/Paris")


@pytest.mark.parametrize(
    "payload, field, message",
    [
        ({"theme": "rose"}, "theme", "Thème inconnu : choisissez dark ou light."),
        ({"display_timezone": "Mars/Olympus"}, "display_timezone", "Fuseau horaire inconnu : Mars/Olympus."),
        ({"ai_ollama_url": "pas une url"}, "ai_ollama_url", "URL Ollama invalide : http:// ou https:// attendu."),
        (
            {"ai_ollama_url": "ftp://nas.local:11434"},
            "ai_ollama_url",
            "URL Ollama invalide : http:// ou https:// attendu.",
        ),
        (
            {"ai_ollama_url": "file:///etc/passwd"},
            "ai_ollama_url",
            "URL Ollama invalide : http:// ou https:// attendu.",
        ),
        ({"ai_openrouter_model": ""}, "ai_openrouter_model", "Ce champ ne peut être vide."),
        (
            {"ai_ollama_model": "x" * 201},
            "ai_ollama_model",
            "Assurez-vous que ce champ comporte au plus 200\xa0caractères.",
        ),
    ],
)
def test_invalid_values_are_refused_in_french(alice_api, alice, payload, field, message):
    response = alice_api.put(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    alice.refresh_from_db()
    assert alice.theme == "dark" and alice.display_timezone == ""


def test_wrong_types_are_refused(alice_api):
    response = alice_api.put(URL, {"ai_ollama_enabled": "peut-être", "testnet_mode": [1]}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"ai_ollama_enabled", "testnet_mode"}


def test_both_ai_assistants_on_is_refused(alice_api, alice):
    response = alice_api.put(
        URL, {"ai_openrouter_enabled": True, "ai_openrouter_key": "sk-or-123", "ai_ollama_enabled": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Un seul assistant IA peut être actif : OpenRouter ou Ollama."}
    alice.refresh_from_db()
    assert not alice.ai_openrouter_enabled and not alice.ai_ollama_enabled and alice.ai_openrouter_key == ""


def test_openrouter_needs_a_key(alice_api):
    response = alice_api.put(URL, {"ai_openrouter_enabled": True}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Renseignez la clé API OpenRouter pour l'activer."}


def test_openrouter_key_is_encrypted_at_rest_and_kept_when_blank(alice_api, alice):
    alice_api.put(URL, {"ai_openrouter_enabled": True, "ai_openrouter_key": "sk-or-secret-123"}, format="json")
    with connection.cursor() as cursor:
        cursor.execute("SELECT ai_openrouter_key FROM accounts_user WHERE id = %s", [alice.id])
        stored = cursor.fetchone()[0]
    assert stored and "sk-or-secret-123" not in stored
    body = alice_api.put(URL, {"ai_openrouter_key": "", "theme": "light"}, format="json").json()
    assert body["ai_openrouter_key_set"] is True
    alice.refresh_from_db()
    assert alice.ai_openrouter_key == "sk-or-secret-123"


def test_switching_from_openrouter_to_ollama(alice_api, alice):
    alice_api.put(URL, {"ai_openrouter_enabled": True, "ai_openrouter_key": "sk-or-1"}, format="json")
    body = alice_api.put(URL, {"ai_openrouter_enabled": False, "ai_ollama_enabled": True}, format="json").json()
    assert body["ai_ollama_enabled"] is True and body["ai_openrouter_enabled"] is False


def test_preferences_are_per_user(alice_api, bob):
    alice_api.put(URL, {"theme": "light"}, format="json")
    bob.refresh_from_db()
    assert bob.theme == "dark"
