"""Requête HTTP en flux vers un fournisseur d'IA : lignes reçues au fil de l'eau, erreurs réseau traduites."""

from collections.abc import AsyncIterator, Callable

import aiohttp

from apps.strategies.assistant.exceptions import AssistantError


async def post_lines(
    *,
    label: str,
    shown_url: str,
    url: str,
    payload: dict,
    headers: dict,
    timeout: int,
    status_message: Callable[[int, str], str],
) -> AsyncIterator[bytes]:
    """POST `payload` et rend chaque ligne de la réponse dès qu'elle arrive.

    `timeout` borne la connexion et chaque silence du flux. AssistantError : injoignable (« {label} injoignable à
    {shown_url} »), délai, statut ≠ 200 (`status_message(statut, corps)`), flux coupé.
    """
    client_timeout = aiohttp.ClientTimeout(total=None, sock_connect=timeout, sock_read=timeout)
    try:
        async with aiohttp.ClientSession(timeout=client_timeout) as session:
            async with session.post(url, json=payload, headers=headers) as response:
                if response.status != 200:
                    raise AssistantError(status_message(response.status, await response.text()))
                async for line in response.content:
                    yield line
    except TimeoutError as exc:
        raise AssistantError(f"{label} : pas de réponse en {timeout} s.") from exc
    except aiohttp.ClientConnectorError as exc:
        raise AssistantError(f"{label} injoignable à {shown_url}") from exc
    except aiohttp.ClientError as exc:
        raise AssistantError(f"{label} : réponse interrompue ({type(exc).__name__}).") from exc
