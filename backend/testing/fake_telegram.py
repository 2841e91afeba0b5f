"""Faux serveur de l'API Bot de Telegram, local : `POST /bot<jeton>/<méthode>` au format réel
({"ok": true, "result": ...} ou {"ok": false, "error_code", "description"}).

    with FakeTelegram(token="123:abc") as fake:          # 127.0.0.1, port libre
        settings.TELEGRAM_API_URL = fake.url
        fake.user_says(chat_id=42, text="/start CODE")    # un message que getUpdates rendra
        fake.wait_for_message(42, "lié")                  # sendMessage reçu (chat, texte contenu)

Méthodes : sendMessage (messages reçus dans `sent`), getUpdates (offset, attente longue `timeout`).
Interrupteurs : `failure = (code, "description")` (chaque appel refusé ainsi), `down = True` (connexion coupée),
`holding = True` (sendMessage noté reçu puis réponse retenue jusqu'à `release.set()` : un envoi « en vol »).
"""

import threading
import time

from testing.local_server import LocalHTTPServer, Request


class FakeTelegram(LocalHTTPServer):
    name = "fake-telegram"

    def __init__(self, token: str = "123456:TEST-TOKEN", port: int = 0):
        super().__init__(port)
        self.token = token
        self.sent: list[dict] = []
        self.updates: list[dict] = []
        self.failure: tuple[int, str] | None = None
        self.down = False
        self.holding = False
        self.release = threading.Event()
        self.changed = threading.Condition()

    def user_says(self, *, chat_id: int, text: str) -> None:
        with self.changed:
            update_id = len(self.updates) + 1000
            message = {"message_id": update_id, "chat": {"id": chat_id, "type": "private"}, "text": text}
            self.updates.append({"update_id": update_id, "message": message})
            self.changed.notify_all()

    def messages_to(self, chat_id) -> list[str]:
        return [message["text"] for message in self.sent if str(message["chat_id"]) == str(chat_id)]

    def wait_for_message(self, chat_id, contains: str, seconds: float = 10) -> str:
        deadline = time.monotonic() + seconds
        with self.changed:
            while True:
                found = [text for text in self.messages_to(chat_id) if contains in text]
                if found:
                    return found[-1]
                left = deadline - time.monotonic()
                assert left > 0, f"Aucun message contenant {contains!r} pour {chat_id} : {self.messages_to(chat_id)}"
                self.changed.wait(left)

    def handle(self, request: Request) -> None:
        self.requests.append(request)
        if self.down:
            return request.drop()
        prefix = f"/bot{self.token}/"
        if not request.path.startswith(prefix):
            return request.reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if self.failure:
            code, description = self.failure
            return request.reply(code, {"ok": False, "error_code": code, "description": description})
        method, payload = request.path.removeprefix(prefix), request.json or {}
        if method == "sendMessage":
            return self._send_message(request, payload)
        if method == "getUpdates":
            return self._get_updates(request, payload)
        return request.reply(404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"})

    def _send_message(self, request: Request, payload: dict) -> None:
        if not payload.get("chat_id") or not payload.get("text"):
            return request.reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
        with self.changed:
            self.sent.append({"chat_id": payload["chat_id"], "text": payload["text"]})
            self.changed.notify_all()
            message_id = len(self.sent)
        if self.holding:
            self.release.wait(30)
        result = {"message_id": message_id, "chat": {"id": payload["chat_id"]}, "text": payload["text"]}
        request.reply(200, {"ok": True, "result": result})

    def _get_updates(self, request: Request, payload: dict) -> None:
        offset, timeout = int(payload.get("offset") or 0), float(payload.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                pending = [update for update in self.updates if update["update_id"] >= offset]
                left = deadline - time.monotonic()
                if pending or left <= 0 or self.down:
                    break
                self.changed.wait(min(left, 0.2))
        request.reply(200, {"ok": True, "result": pending})
