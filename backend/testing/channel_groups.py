"""Attendre qu'un processus ait rejoint un groupe Channels, au lieu d'une pause fixe."""

import asyncio

from channels.layers import get_channel_layer


async def group_size(group: str, layer=None) -> int:
    layer = layer or get_channel_layer()
    connection = layer.connection(layer.consistent_hash(group))
    return await connection.zcard(layer._group_key(group))


async def wait_for_members(group: str, count: int = 1, *, layer=None, timeout: float = 30.0) -> None:
    """Revient dès que `group` compte au moins `count` membres."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while await group_size(group, layer) < count:
        if loop.time() > deadline:
            raise AssertionError(f"personne n'a rejoint le groupe {group} en {timeout:.0f} s")
        await asyncio.sleep(0.02)
