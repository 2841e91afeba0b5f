"""D'où vient une requête : poste local direct (le développeur) ou autre (proxy, tunnel, réseau).

Le mode dev et les pages techniques de Django ne sont servis qu'à une requête locale directe : adresse de
bouclage et aucun en-tête de relais. Un proxy ou un tunnel qui tourne sur la même machine se connecte aussi
depuis 127.0.0.1, mais il pose l'un de ces en-têtes.
"""

import ipaddress
from collections.abc import Iterable, Mapping

from django.conf import settings

FORWARDING_HEADERS = (
    "X-Forwarded-For",
    "Forwarded",
    "X-Real-IP",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "CF-Connecting-IP",
    "True-Client-IP",
    "X-Client-IP",
)
_META_KEYS = tuple("HTTP_" + name.upper().replace("-", "_") for name in FORWARDING_HEADERS)
_SCOPE_KEYS = frozenset(name.lower().encode() for name in FORWARDING_HEADERS)


def _parse_ip(raw: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address((raw or "").strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _is_loopback(raw: str | None) -> bool:
    address = _parse_ip(raw)
    return address is not None and address.is_loopback


def is_local_request(request) -> bool:
    """Requête HTTP du poste lui-même, sans proxy : adresse de bouclage et aucun en-tête de relais."""
    meta = request.META
    return _is_loopback(meta.get("REMOTE_ADDR")) and not any(key in meta for key in _META_KEYS)


def is_local_scope(scope: Mapping) -> bool:
    """Équivalent pour un scope ASGI (WebSocket)."""
    client = scope.get("client") or (None,)
    headers: Iterable = scope.get("headers") or ()
    return _is_loopback(client[0]) and not any(name.lower() in _SCOPE_KEYS for name, _ in headers)


def client_ip(remote_addr: str | None, headers: Mapping[str, str]) -> str | None:
    """L'adresse du client : REMOTE_ADDR, ou la dernière adresse de l'en-tête du proxy de confiance
    (TRUSTED_PROXY_HEADER) quand il est configuré ; None si illisible."""
    raw = remote_addr
    header = settings.TRUSTED_PROXY_HEADER
    if header and headers.get(header):
        raw = headers[header].split(",")[-1]
    address = _parse_ip(raw)
    return None if address is None else str(address)
