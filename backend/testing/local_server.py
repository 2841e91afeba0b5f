"""Serveur HTTP local sur un port libre, base des faux services d'IA (réponses en flux, découpées en morceaux)."""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from testing.strategy_code import SMA_CROSS

# Réponse par défaut des faux assistants : du texte puis un bloc de code, comme un vrai modèle.
DEFAULT_ANSWER = f"""Voici une stratégie de croisement de moyennes mobiles.

```python
{SMA_CROSS}```

Testez-la avec le bouton « Tester »."""


def split_answer(text: str, size: int = 24) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """Un client parti en cours de réponse (délai dépassé, flux abandonné) n'est pas une erreur du faux."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalHTTPServer:
    """Sous-classes : `handle(request)` reçoit un `Request` pour chaque POST ; `with Fake() as fake: fake.url`."""

    name = "local-server"

    def __init__(self, port: int = 0):
        self.port = port
        self.requests: list[Request] = []
        self.chunks = split_answer(DEFAULT_ANSWER)
        self.delay = 0.0
        self.pause_after: int | None = None
        self.gate = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    def handle(self, request: "Request") -> None:
        raise NotImplementedError

    @property
    def answer(self) -> str:
        return "".join(self.chunks)

    def paced_chunks(self):
        """Les morceaux de la réponse ; après `pause_after` morceaux, attend `gate.set()` (réponse « en cours »)."""
        for index, chunk in enumerate(self.chunks):
            if index == self.pause_after:
                self.gate.wait(30)
            yield chunk

    def wait_before_answering(self) -> None:
        if self.delay:
            time.sleep(self.delay)

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                fake.handle(Request(self))

            def log_message(self, *args):
                pass

        self._server = _QuietServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), name=self.name, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"


class Request:
    """Une requête reçue : chemin, en-têtes, corps JSON ; réponse entière (`reply`) ou en flux (`open_stream`)."""

    def __init__(self, handler: BaseHTTPRequestHandler):
        self.handler = handler
        self.path = handler.path
        self.headers = handler.headers
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        try:
            self.json = json.loads(raw or b"null")
        except ValueError:
            self.json = None

    def reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.handler.send_response(status)
        self.handler.send_header("Content-Type", "application/json")
        self.handler.send_header("Content-Length", str(len(data)))
        self.handler.end_headers()
        self.handler.wfile.write(data)

    def open_stream(self, content_type: str) -> None:
        self.handler.send_response(200)
        self.handler.send_header("Content-Type", content_type)
        self.handler.send_header("Transfer-Encoding", "chunked")
        self.handler.send_header("Cache-Control", "no-cache")
        self.handler.end_headers()

    def write_chunk(self, text: str) -> None:
        """Un morceau HTTP envoyé aussitôt (le client le lit avant le suivant)."""
        data = text.encode()
        self.handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.handler.wfile.flush()

    def end_stream(self) -> None:
        self.handler.wfile.write(b"0\r\n\r\n")
        self.handler.wfile.flush()

    def drop(self) -> None:
        """Coupe la connexion au milieu du flux, sans le morceau final."""
        self.handler.close_connection = True
        self.handler.wfile.flush()
