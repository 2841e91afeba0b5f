"""Attendre qu'un processus ait rejoint un groupe Channels, ou relire ce qu'un canal a reçu : jamais une pause
fixe."""

import asyncio

from channels.layers import get_channel_layer


async def group_members(group: str, layer=None) -> set[str]:
    """Les canaux inscrits au groupe (un test ou un processus arrêté avant ce test peut en avoir laissé)."""
    layer = layer or get_channel_layer()
    connection = layer.connection(layer.consistent_hash(group))
    return {member.decode() for member in await connection.zrange(layer._group_key(group), 0, -1)}


async def wait_for_members(
    group: str, count: int = 1, *, layer=None, timeout: float = 30.0, known: set[str] = frozenset()
) -> None:
    """Revient dès que `group` compte au moins `count` membres hors de `known` (les inscrits d'avant le démarrage)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(await group_members(group, layer) - known) < count:
        if loop.time() > deadline:
            raise AssertionError(f"personne n'a rejoint le groupe {group} en {timeout:.0f} s")
        await asyncio.sleep(0.02)


END = {"type": "test.end"}


async def received_so_far(channel: str, *, layer=None, timeout: float = 10.0) -> list[dict]:
    """Les messages déjà arrivés sur `channel`, au lieu d'une pause qui guette le silence : une marque envoyée
    maintenant arrive après eux (un canal rend ses messages dans l'ordre d'envoi)."""
    layer = layer or get_channel_layer()
    await layer.send(channel, END)
    received = []
    while (event := await asyncio.wait_for(layer.receive(channel), timeout)) != END:
        received.append(event)
    return received
