"""Faux OpenRouter local : `POST /api/v1/chat/completions` en flux SSE, au format réel d'OpenRouter.

    with FakeOpenRouter() as fake:                     # 127.0.0.1, port libre
        settings.OPENROUTER_BASE_URL = fake.base_url   # …/api/v1
        fake.requests[-1].json["messages"]             # ce que le backend a envoyé

Flux : commentaires `: OPENROUTER PROCESSING`, un événement `data: {"choices":[{"delta":{"content":…}}]}` par
morceau (`chunks`), un dernier morceau vide avec `finish_reason`, un morceau `usage`, puis `data: [DONE]`.
Interrupteurs : `api_key` (autre clé → 401 au format d'OpenRouter), `status = (402, "…")` (refus avant le flux),
`midstream_error = "…"` (erreur dans le flux après le premier morceau, comme OpenRouter), `pause_after = n` +
`gate.set()` (la suite ne part qu'une fois la porte ouverte), `delay` (secondes avant de répondre),
`drop_after = n` (connexion coupée après n morceaux, sans [DONE]).
"""

import json
import threading
import time

from testing.local_server import LocalHTTPServer, Request


class FakeOpenRouter(LocalHTTPServer):
    name = "fake-openrouter"

    def __init__(self, api_key: str = "sk-or-v1-test", port: int = 0):
        super().__init__(port)
        self.api_key = api_key
        self.status: tuple[int, str] | None = None
        self.midstream_error: str | None = None
        self.drop_after: int | None = None

    @property
    def base_url(self) -> str:
        return self.url + "/api/v1"

    def handle(self, request: Request) -> None:
        self.requests.append(request)
        self.wait_before_answering()
        if request.path != "/api/v1/chat/completions":
            return request.reply(404, {"error": {"code": 404, "message": "Not Found"}})
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return request.reply(401, {"error": {"code": 401, "message": "No auth credentials found"}})
        if self.status:
            code, message = self.status
            return request.reply(code, {"error": {"code": code, "message": message}})
        model = (request.json or {}).get("model", "")
        request.open_stream("text/event-stream")
        request.write_chunk(": OPENROUTER PROCESSING\n\n")
        for index, chunk in enumerate(self.paced_chunks()):
            if index == self.drop_after:
                return request.drop()
            if index == 1 and self.midstream_error:
                request.write_chunk(
                    _event(model, "", "error", error={"code": "server_error", "message": self.midstream_error})
                )
                return request.end_stream()
            request.write_chunk(_event(model, chunk))
        request.write_chunk(_event(model, "", "stop"))
        request.write_chunk(
            _event(model, "", None, usage={"prompt_tokens": 420, "completion_tokens": 96, "total_tokens": 516})
        )
        request.write_chunk("data: [DONE]\n\n")
        request.end_stream()


def _event(model: str, content: str, finish_reason: str | None = None, **extra) -> str:
    chunk = {
        "id": "gen-1764600000-fake",
        "provider": "OpenAI",
        "model": model,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "choices": [
            {
                "index": 0,
                "delta": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
                "native_finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        **extra,
    }
    return f"data: {json.dumps(chunk)}\n\n"


if __name__ == "__main__":
    import sys

    fake = FakeOpenRouter(port=int(sys.argv[1]) if len(sys.argv) > 1 else 9200).start()
    print(f"Faux OpenRouter sur {fake.base_url} (clé {fake.api_key}) ; Ctrl-C pour arrêter.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()
