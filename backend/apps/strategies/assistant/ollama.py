"""Ollama : `/api/chat` en flux NDJSON (une ligne JSON par morceau, `"done": true` à la fin)."""

import json
from collections.abc import AsyncIterator
from contextlib import aclosing

from apps.strategies.assistant.exceptions import AssistantError
from apps.strategies.assistant.providers import Provider
from apps.strategies.assistant.transport import post_lines


def _error_text(body: str) -> str:
    try:
        return str(json.loads(body)["error"])
    except (ValueError, KeyError, TypeError):
        return body.strip()[:200]


async def stream_chat(*, provider: Provider, messages: list[dict], timeout: int) -> AsyncIterator[str]:
    """Les morceaux de texte de la réponse, dans l'ordre ; AssistantError si Ollama échoue."""

    def status_message(status: int, body: str) -> str:
        detail = _error_text(body)
        if status == 404 and provider.model in detail:
            return (
                f"Ollama : modèle « {provider.model} » introuvable (404) — installez-le avec "
                f"« ollama pull {provider.model} » ou choisissez-en un autre dans Mon compte."
            )
        return f"Ollama : erreur {status}" + (f" : {detail}" if detail else "")

    lines = aclosing(
        post_lines(
            label="Ollama",
            shown_url=provider.url,
            url=provider.url.rstrip("/") + "/api/chat",
            payload={"model": provider.model, "messages": messages, "stream": True},
            headers={},
            timeout=timeout,
            status_message=status_message,
        )
    )
    async with lines as received:
        async for raw in received:
            if not raw.strip():
                continue
            try:
                chunk = json.loads(raw)
            except ValueError as exc:
                raise AssistantError("Ollama : réponse illisible.") from exc
            if chunk.get("error"):
                raise AssistantError(f"Ollama : {chunk['error']}")
            if text := (chunk.get("message") or {}).get("content"):
                yield text
            if chunk.get("done"):
                return
    raise AssistantError("Ollama : réponse interrompue avant la fin.")
