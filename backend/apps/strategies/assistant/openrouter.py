"""OpenRouter : chat completions en flux SSE (`data: {...}` par morceau, `data: [DONE]` à la fin)."""

import json
from collections.abc import AsyncIterator
from contextlib import aclosing

from apps.strategies.assistant.exceptions import AssistantError
from apps.strategies.assistant.providers import Provider
from apps.strategies.assistant.transport import post_lines

STATUS_MESSAGES = {
    401: "OpenRouter : clé refusée (401)",
    402: "OpenRouter : crédits insuffisants (402)",
    429: "OpenRouter : trop de requêtes, réessayez dans un moment (429)",
}


def status_message(status: int, body: str) -> str:
    if status in STATUS_MESSAGES:
        return STATUS_MESSAGES[status]
    detail = _error_text(body)
    return f"OpenRouter : erreur {status}" + (f" : {detail}" if detail else "")


def _error_text(body: str) -> str:
    try:
        return str(json.loads(body)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return body.strip()[:200]


async def stream_chat(*, provider: Provider, messages: list[dict], timeout: int) -> AsyncIterator[str]:
    """Les morceaux de texte de la réponse, dans l'ordre ; AssistantError si OpenRouter échoue."""
    lines = aclosing(
        post_lines(
            label="OpenRouter",
            shown_url=provider.url,
            url=provider.url.rstrip("/") + "/chat/completions",
            payload={"model": provider.model, "messages": messages, "stream": True},
            headers={"Authorization": f"Bearer {provider.api_key}", "X-Title": "Aristobot3"},
            timeout=timeout,
            status_message=status_message,
        )
    )
    data: list[str] = []
    async with lines as received:
        async for raw in received:
            line = raw.decode().rstrip("\r\n")
            if line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
            elif not line and data:
                event, data = "\n".join(data), []
                if event == "[DONE]":
                    return
                for text in _texts(event):
                    yield text
    raise AssistantError("OpenRouter : réponse interrompue avant la fin.")


def _texts(event: str) -> list[str]:
    try:
        chunk = json.loads(event)
    except ValueError as exc:
        raise AssistantError("OpenRouter : réponse illisible.") from exc
    if chunk.get("error"):
        raise AssistantError(f"OpenRouter : {chunk['error'].get('message') or 'erreur du modèle'}")
    return [text for choice in chunk.get("choices") or [] if (text := (choice.get("delta") or {}).get("content"))]
