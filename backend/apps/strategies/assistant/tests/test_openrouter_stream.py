"""OpenRouter en flux SSE contre un faux OpenRouter local : morceaux dans l'ordre, erreurs en français."""

import socket

import pytest

from apps.strategies.assistant.exceptions import AssistantError
from apps.strategies.assistant.openrouter import stream_chat
from apps.strategies.assistant.prompt import build_messages
from apps.strategies.assistant.providers import Provider
from apps.strategies.assistant.tests.conftest import OPENROUTER_KEY

MESSAGES = build_messages(
    request="Ajoute un stop-loss à 2 %",
    code="class A(Strategy):\n    pass\n",
    errors=[{"line": 2, "column": 4, "message": "should_long manquante"}],
)


def provider(url: str, key: str = OPENROUTER_KEY) -> Provider:
    return Provider("openrouter", "OpenRouter", url, "openai/gpt-4o-mini", key)


async def collect(url: str, key: str = OPENROUTER_KEY, timeout: int = 5) -> list[str]:
    return [text async for text in stream_chat(provider=provider(url, key), messages=MESSAGES, timeout=timeout)]


async def test_the_answer_arrives_in_several_chunks_in_order(fake_openrouter):
    chunks = await collect(fake_openrouter.base_url)

    assert len(chunks) > 5
    assert "".join(chunks) == fake_openrouter.answer
    sent = fake_openrouter.requests[-1]
    assert sent.headers["Authorization"] == f"Bearer {OPENROUTER_KEY}"
    assert sent.json["model"] == "openai/gpt-4o-mini" and sent.json["stream"] is True
    system, user = sent.json["messages"]
    assert "should_long" in system["content"] and "```python" in system["content"]
    assert "Ajoute un stop-loss à 2 %" in user["content"] and "class A(Strategy)" in user["content"]
    assert "ligne 2, colonne 4 : should_long manquante" in user["content"]


async def test_a_refused_key_is_a_french_error_without_the_key(fake_openrouter):
    with pytest.raises(AssistantError) as error:
        await collect(fake_openrouter.base_url, key="sk-or-v1-mauvaise")
    assert str(error.value) == "OpenRouter : clé refusée (401)"


@pytest.mark.parametrize(
    "status, message, expected",
    [
        (402, "Insufficient credits", "OpenRouter : crédits insuffisants (402)"),
        (
            400,
            "openai/gpt-5-turbo is not a valid model ID",
            "OpenRouter : erreur 400 : openai/gpt-5-turbo is not a valid model ID",
        ),
    ],
)
async def test_other_refusals_keep_openrouter_text(fake_openrouter, status, message, expected):
    fake_openrouter.status = (status, message)
    with pytest.raises(AssistantError) as error:
        await collect(fake_openrouter.base_url)
    assert str(error.value) == expected


async def test_an_error_in_the_middle_of_the_stream(fake_openrouter):
    fake_openrouter.midstream_error = "Provider returned error"
    received = []
    with pytest.raises(AssistantError) as error:
        async for text in stream_chat(provider=provider(fake_openrouter.base_url), messages=MESSAGES, timeout=5):
            received.append(text)
    assert str(error.value) == "OpenRouter : Provider returned error"
    assert received == fake_openrouter.chunks[:1]


async def test_a_stream_cut_before_done(fake_openrouter):
    fake_openrouter.drop_after = 3
    with pytest.raises(AssistantError) as error:
        await collect(fake_openrouter.base_url)
    assert str(error.value).startswith("OpenRouter : réponse interrompue")


async def test_unreachable_names_the_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/api/v1"  # port réservé, rien n'écoute
        with pytest.raises(AssistantError) as error:
            await collect(url)
    assert str(error.value) == f"OpenRouter injoignable à {url}"


async def test_silence_longer_than_the_timeout(fake_openrouter):
    fake_openrouter.delay = 2
    with pytest.raises(AssistantError) as error:
        await collect(fake_openrouter.base_url, timeout=1)
    assert str(error.value) == "OpenRouter : pas de réponse en 1 s."
