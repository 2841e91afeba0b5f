"""Faux Ollama local : `POST /api/chat` en flux NDJSON, au format réel d'Ollama.

    with FakeOllama() as fake:          # 127.0.0.1, port libre ; URL Ollama de l'utilisateur = fake.url
        fake.requests[-1].json          # {"model", "messages", "stream": true, ...}

Flux : une ligne `{"model", "created_at", "message": {"role": "assistant", "content": …}, "done": false}` par
morceau (`chunks`), puis la ligne finale `"done": true` avec `done_reason` et les compteurs.
Interrupteurs : `models` (modèles installés ; un autre → 404 `{"error": "model 'x' not found"}`),
`midstream_error = "…"` (ligne `{"error": …}` après le premier morceau, statut 200 inchangé), `pause_after = n` +
`gate.set()`, `delay` (secondes avant de répondre), `drop_after = n` (connexion coupée sans ligne finale).
"""

import json
import threading
from datetime import UTC, datetime

from testing.local_server import LocalHTTPServer, Request

DEFAULT_MODEL = "qwen2.5-coder:7b"


class FakeOllama(LocalHTTPServer):
    name = "fake-ollama"

    def __init__(self, models=(DEFAULT_MODEL,), port: int = 0):
        super().__init__(port)
        self.models = set(models)
        self.midstream_error: str | None = None
        self.drop_after: int | None = None

    def handle(self, request: Request) -> None:
        self.requests.append(request)
        self.wait_before_answering()
        if request.path != "/api/chat":
            return request.reply(404, {"error": "404 page not found"})
        model = (request.json or {}).get("model", "")
        if model not in self.models:
            return request.reply(404, {"error": f"model '{model}' not found"})
        request.open_stream("application/x-ndjson")
        for index, chunk in enumerate(self.paced_chunks()):
            if index == self.drop_after:
                return request.drop()
            if index == 1 and self.midstream_error:
                request.write_chunk(json.dumps({"error": self.midstream_error}) + "\n")
                return request.end_stream()
            request.write_chunk(_line(model, chunk, done=False))
        request.write_chunk(
            _line(
                model,
                "",
                done=True,
                done_reason="stop",
                total_duration=1_200_000_000,
                load_duration=50_000_000,
                prompt_eval_count=420,
                prompt_eval_duration=300_000_000,
                eval_count=96,
                eval_duration=850_000_000,
            )
        )
        request.end_stream()


def _line(model: str, content: str, **fields) -> str:
    created = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return (
        json.dumps(
            {"model": model, "created_at": created, "message": {"role": "assistant", "content": content}, **fields}
        )
        + "\n"
    )


if __name__ == "__main__":
    import sys

    fake = FakeOllama(port=int(sys.argv[1]) if len(sys.argv) > 1 else 11435).start()
    print(f"Faux Ollama sur {fake.url} (modèle {DEFAULT_MODEL}) ; Ctrl-C pour arrêter.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()
