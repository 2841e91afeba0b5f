from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from apps.core.channels import STATUS_GROUP, client_event, publish, status_event, user_group
from apps.heartbeat.models import HeartbeatStatus
from aristobot.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)
HEADERS = [(b"origin", b"http://localhost:5173"), (b"host", b"localhost:8000")]


async def connect(session_cookie: str | None = None) -> WebsocketCommunicator:
    headers = list(HEADERS)
    if session_cookie:
        headers.append((b"cookie", f"sessionid={session_cookie}".encode()))
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    communicator.scope["client"] = ["127.0.0.1", 50000]  # le navigateur local, par le relais de Vite
    return communicator


@database_sync_to_async
def session_for(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


async def test_anonymous_is_refused_outside_dev_mode(prod_mode):
    communicator = await connect()
    connected, code = await communicator.connect()
    assert not connected and code == 4401


async def test_logged_in_user_gets_status_then_private_messages(prod_mode, alice, bob):
    await database_sync_to_async(HeartbeatStatus.objects.update_or_create)(
        pk=1, defaults={"connected": True, "last_message_at": timezone.now(), "coherent": True, "gaps": []}
    )
    communicator = await connect(await session_for(alice))
    connected, _ = await communicator.connect()
    assert connected
    first = await communicator.receive_json_from(timeout=3)
    assert first["type"] == "status"
    assert first["data"]["strategy_live"] is False  # celles d'alice seulement
    assert 0 < first["data"]["heartbeat"]["active_for"] <= 10
    assert first["data"]["heartbeat"] == {
        "active": True,
        "active_for": first["data"]["heartbeat"]["active_for"],
        "coherent": True,
        "gaps": 0,
        "last_message_at": first["data"]["heartbeat"]["last_message_at"],
    }
    await publish(user_group(bob.id), client_event("secret", {"to": "bob"}))
    await publish(user_group(alice.id), client_event("order", {"id": 7}))
    assert await communicator.receive_json_from(timeout=3) == {"type": "order", "data": {"id": 7}}
    await publish(STATUS_GROUP, status_event({"strategy_live": False}))
    assert (await communicator.receive_json_from(timeout=3))["data"] == {"strategy_live": False}
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_stale_heartbeat_is_reported_inactive(prod_mode, alice):
    old = timezone.now() - timedelta(minutes=5)
    await database_sync_to_async(HeartbeatStatus.objects.update_or_create)(
        pk=1, defaults={"connected": True, "last_message_at": old, "coherent": False, "gaps": [{"from": 1}]}
    )
    communicator = await connect(await session_for(alice))
    await communicator.connect()
    heartbeat = (await communicator.receive_json_from(timeout=3))["data"]["heartbeat"]
    assert heartbeat["active"] is False and heartbeat["coherent"] is False and heartbeat["gaps"] == 1
    await communicator.disconnect()


async def test_anonymous_is_dev_in_dev_mode(dev_mode, dev):
    communicator = await connect()
    connected, _ = await communicator.connect()
    assert connected
    await publish(user_group(dev.id), client_event("ping", {}))
    messages = [await communicator.receive_json_from(timeout=3) for _ in range(2)]
    assert [m["type"] for m in messages] == ["status", "ping"]
    await communicator.disconnect()


async def test_foreign_origin_is_refused(alice):
    communicator = WebsocketCommunicator(application, "/ws/", headers=[(b"origin", b"http://evil.example")])
    connected, _ = await communicator.connect()
    assert not connected
