"""Ollama en flux NDJSON (/api/chat) contre un faux Ollama local : morceaux dans l'ordre, erreurs en français."""

import socket

import pytest

from apps.strategies.assistant.exceptions import AssistantError
from apps.strategies.assistant.ollama import stream_chat
from apps.strategies.assistant.prompt import build_messages
from apps.strategies.assistant.providers import Provider

MESSAGES = build_messages(request="Écris une stratégie RSI")


async def collect(url: str, model: str = "qwen2.5-coder:7b", timeout: int = 5) -> list[str]:
    provider = Provider("ollama", "Ollama", url, model)
    return [text async for text in stream_chat(provider=provider, messages=MESSAGES, timeout=timeout)]


async def test_the_answer_arrives_in_several_chunks_in_order(fake_ollama):
    chunks = await collect(fake_ollama.url + "/")  # barre finale tolérée

    assert len(chunks) > 5
    assert "".join(chunks) == fake_ollama.answer
    sent = fake_ollama.requests[-1]
    assert sent.path == "/api/chat"
    assert sent.json["model"] == "qwen2.5-coder:7b" and sent.json["stream"] is True
    assert [m["role"] for m in sent.json["messages"]] == ["system", "user"]
    assert "Authorization" not in sent.headers


async def test_a_missing_model_says_how_to_install_it(fake_ollama):
    with pytest.raises(AssistantError) as error:
        await collect(fake_ollama.url, model="llama9")
    assert str(error.value) == (
        "Ollama : modèle « llama9 » introuvable (404) — installez-le avec « ollama pull llama9 » "
        "ou choisissez-en un autre dans Mon compte."
    )


async def test_an_url_that_is_not_ollama(fake_ollama):
    with pytest.raises(AssistantError) as error:
        await collect(fake_ollama.url + "/autre-service")
    assert str(error.value) == "Ollama : erreur 404 : 404 page not found"


async def test_an_error_in_the_middle_of_the_stream(fake_ollama):
    fake_ollama.midstream_error = "an error was encountered while running the model"
    with pytest.raises(AssistantError) as error:
        await collect(fake_ollama.url)
    assert str(error.value) == "Ollama : an error was encountered while running the model"


async def test_a_stream_cut_before_done(fake_ollama):
    fake_ollama.drop_after = 2
    with pytest.raises(AssistantError) as error:
        await collect(fake_ollama.url)
    assert str(error.value).startswith("Ollama : réponse interrompue")


async def test_unreachable_names_the_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        with pytest.raises(AssistantError) as error:
            await collect(url)
    assert str(error.value) == f"Ollama injoignable à {url}"


async def test_silence_longer_than_the_timeout(fake_ollama):
    fake_ollama.delay = 2
    with pytest.raises(AssistantError) as error:
        await collect(fake_ollama.url, timeout=1)
    assert str(error.value) == "Ollama : pas de réponse en 1 s."
