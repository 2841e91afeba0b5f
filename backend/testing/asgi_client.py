"""Une requête HTTP à travers l'application ASGI complète (comme Daphne la sert), pour les tests synchrones."""

import json

from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator


class AsgiResponse:
    def __init__(self, response: dict):
        self.status_code = response["status"]
        self.content = response["body"]
        self.headers = {name.decode(): value.decode() for name, value in response["headers"]}

    def json(self):
        return json.loads(self.content)


async def asgi_post_async(path: str, body: bytes, content_type: str, **extra) -> AsgiResponse:
    """POST sur `path` ; `extra` à la Django : REMOTE_ADDR, HTTP_USER_AGENT, HTTP_X_FORWARDED_FOR…"""
    from aristobot.asgi import application

    headers = [(b"content-type", content_type.encode()), (b"host", b"testserver")]
    headers += [
        (name[5:].replace("_", "-").lower().encode(), str(value).encode())
        for name, value in extra.items()
        if name.startswith("HTTP_")
    ]
    communicator = HttpCommunicator(application, "POST", path, body=body, headers=headers)
    communicator.scope["client"] = (extra.get("REMOTE_ADDR", "127.0.0.1"), 50000)
    response = AsgiResponse(await communicator.get_response(timeout=10))
    await communicator.wait(timeout=10)  # comme Daphne, laisse finir ce que l'application fait après la réponse
    return response


def asgi_post(path: str, body: bytes, content_type: str, **extra) -> AsgiResponse:
    """`asgi_post_async` pour un test synchrone."""
    return async_to_sync(asgi_post_async)(path, body, content_type, **extra)
