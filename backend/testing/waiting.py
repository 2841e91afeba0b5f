"""Attendre une condition plutôt qu'une durée fixe : le test avance dès qu'elle est vraie, échoue au-delà."""

import asyncio
import inspect
import time


def _failure(message, seconds: float) -> AssertionError:
    return AssertionError(f"{message() if callable(message) else message} (après {seconds} s)")


def wait_until(condition, seconds: float = 30, message="condition jamais remplie", every: float = 0.05):
    """Attend que `condition()` rende une valeur vraie et la retourne. `message` : texte, ou fonction appelée à
    l'échec (ex. le journal d'un processus)."""
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise _failure(message, seconds)
        time.sleep(every)
    return found


async def eventually(check, timeout: float = 30, message="condition jamais remplie", every: float = 0.02):
    """`wait_until` dans une boucle asyncio : `check()` peut rendre un awaitable (coroutine, ou une fonction
    passée par `sync_to_async` quand elle lit la base)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise _failure(message, timeout)
        await asyncio.sleep(every)
