"""Réponse en flux vers le navigateur : NDJSON, une ligne par événement, envoyée dès que le fournisseur parle.

Événements : {"type": "start", "provider", "model"}, {"type": "delta", "text"}…, puis {"type": "done"} ou
{"type": "error", "message"} (le statut HTTP, déjà parti, reste 200).
"""

import json
import logging
from collections.abc import AsyncIterator

from django.conf import settings
from django.http import StreamingHttpResponse

from apps.strategies.assistant import ollama, openrouter
from apps.strategies.assistant.exceptions import AssistantError
from apps.strategies.assistant.providers import Provider

logger = logging.getLogger(__name__)

STREAMERS = {"openrouter": openrouter.stream_chat, "ollama": ollama.stream_chat}


def _line(event: dict) -> bytes:
    return (json.dumps(event, ensure_ascii=False) + "\n").encode()


async def answer_events(*, provider: Provider, messages: list[dict]) -> AsyncIterator[bytes]:
    yield _line({"type": "start", "provider": provider.label, "model": provider.model})
    try:
        async for text in STREAMERS[provider.kind](
            provider=provider, messages=messages, timeout=settings.AI_TIMEOUT_SECONDS
        ):
            yield _line({"type": "delta", "text": text})
    except AssistantError as exc:
        logger.warning("Assistant IA (%s, %s) : %s", provider.label, provider.model, exc)
        yield _line({"type": "error", "message": str(exc)})
        return
    yield _line({"type": "done"})


def answer_response(*, provider: Provider, messages: list[dict]) -> StreamingHttpResponse:
    """Sous Daphne (ASGI), chaque ligne part dans son propre morceau HTTP ; aucun tampon intermédiaire."""
    response = StreamingHttpResponse(
        answer_events(provider=provider, messages=messages), content_type="application/x-ndjson; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
