"""POST /api/strategies/assistant/ sous ASGI (comme sous Daphne) : la réponse part morceau par morceau."""

import pytest

from apps.strategies.assistant.providers import DISABLED
from apps.strategies.assistant.tests.conftest import BROWSER_ACCEPT, OPENROUTER_KEY

URL = "/api/strategies/assistant/"
ASK = {
    "request": "Ajoute une sortie sur croisement inverse",
    "code": "class A(Strategy):\n    pass\n",
    "errors": [{"line": 1, "column": 8, "message": "nom inconnu : Strategy"}],
}

live = pytest.mark.django_db(transaction=True)  # la vue tourne dans un autre fil : données validées en base


@live
async def test_openrouter_answer_reaches_the_client_while_it_is_generated(openrouter_user, fake_openrouter, asgi_post):
    fake_openrouter.pause_after = 3  # le faux OpenRouter garde la suite tant que la porte est fermée
    response = await asgi_post(URL, ASK, user=openrouter_user)
    assert response.status == 200, await response.next_body()

    first = await response.events(4)
    assert first[0] == {"type": "start", "provider": "OpenRouter", "model": "openai/gpt-4o-mini"}
    assert [event["text"] for event in first[1:]] == fake_openrouter.chunks[:3]

    fake_openrouter.gate.set()
    rest = await response.events()
    assert rest[-1] == {"type": "done"}
    assert "".join(event["text"] for event in first[1:] + rest[:-1]) == fake_openrouter.answer
    user_message = fake_openrouter.requests[-1].json["messages"][1]["content"]
    assert "ligne 1, colonne 8 : nom inconnu : Strategy" in user_message


@live
async def test_ollama_answer_is_streamed_the_same_way(ollama_user, fake_ollama, asgi_post):
    fake_ollama.pause_after = 2
    response = await asgi_post(URL, {"request": "Une stratégie RSI"}, user=ollama_user)

    first = await response.events(3)
    assert first[0] == {"type": "start", "provider": "Ollama", "model": "qwen2.5-coder:7b"}
    fake_ollama.gate.set()
    rest = await response.events()
    assert rest[-1] == {"type": "done"}
    assert "".join(event["text"] for event in first[1:] + rest[:-1]) == fake_ollama.answer


@live
async def test_a_refused_key_ends_the_stream_with_a_french_error(openrouter_user, fake_openrouter, asgi_post):
    fake_openrouter.api_key = "sk-or-v1-une-autre"
    response = await asgi_post(URL, ASK, user=openrouter_user)

    events = await response.events()
    assert events[1:] == [{"type": "error", "message": "OpenRouter : clé refusée (401)"}]
    assert OPENROUTER_KEY not in str(events)


@live
async def test_unreachable_ollama_ends_the_stream_with_a_french_error(alice, asgi_post):
    alice.ai_ollama_enabled, alice.ai_ollama_url = True, "http://127.0.0.1:9"
    await alice.asave()
    response = await asgi_post(URL, ASK, user=alice)

    events = await response.events()
    assert events[-1] == {"type": "error", "message": "Ollama injoignable à http://127.0.0.1:9"}


def test_both_providers_off_is_refused(alice_api, fake_openrouter):
    response = alice_api.post(URL, ASK, format="json", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": DISABLED}
    assert fake_openrouter.requests == []


def test_another_users_provider_is_never_used(alice_api, bob, fake_openrouter):
    bob.ai_openrouter_enabled, bob.ai_openrouter_key = True, OPENROUTER_KEY
    bob.save()
    assert alice_api.post(URL, ASK, format="json").status_code == 400
    assert fake_openrouter.requests == []


def test_openrouter_on_without_key_is_refused(alice, alice_api):
    alice.ai_openrouter_enabled = True  # possible en base si la clé a été effacée à la main
    alice.save()
    response = alice_api.post(URL, ASK, format="json")
    assert response.json() == {"detail": "Clé OpenRouter manquante : renseignez-la dans Mon compte."}


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "request"),
        ({"request": "   "}, "request"),
        ({"request": "x" * 4001}, "request"),
        ({"request": "ok", "code": 42}, "code"),
        ({"request": "ok", "errors": "ligne 3"}, "errors"),
        ({"request": "ok", "errors": [{"line": "trois", "message": "x"}]}, "errors"),
        ({"request": "ok", "errors": [{"line": 1, "message": "x"}] * 51}, "errors"),
    ],
)
def test_bad_input_is_refused_before_any_call(openrouter_user, alice_api, fake_openrouter, payload, field):
    response = alice_api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert fake_openrouter.requests == []


def test_an_empty_request_is_explained_in_french(openrouter_user, alice_api):
    assert alice_api.post(URL, {"request": ""}, format="json").json() == {
        "request": ["Écrivez votre demande à l'assistant."]
    }


def test_anonymous_is_refused(prod_mode, api):
    assert api.post(URL, ASK, format="json").status_code == 403
    assert api.get(URL + "status/").status_code == 403


def test_a_stored_ollama_url_that_is_not_http_is_refused(alice, alice_api):
    type(alice).objects.filter(pk=alice.pk).update(ai_ollama_enabled=True, ai_ollama_url="file:///etc/passwd")
    alice.refresh_from_db()  # l'utilisateur de la requête (force_authenticate) est cet objet
    response = alice_api.post(URL, ASK, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "URL Ollama invalide : http:// ou https:// attendu."}
