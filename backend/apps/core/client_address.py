"""D'où vient une requête : poste local direct (le développeur) ou autre (proxy, tunnel, réseau).

Le mode dev et les pages techniques de Django ne sont servis qu'à une requête locale directe : adresse de
bouclage et aucun en-tête de relais. Un proxy ou un tunnel qui tourne sur la même machine se connecte aussi
depuis 127.0.0.1, mais il pose l'un de ces en-têtes.
"""

import ipaddress
from collections.abc import Iterable, Mapping

from django.conf import settings

# Un en-tête de relais : nommé ici, ou dont le nom porte l'une des marques ci-dessous (Client-IP, True-Client-IP,
# Fastly-Client-IP, X-Cluster-Client-IP, CF-Connecting-IP, Forwarded-For, X-Original-Forwarded-For…).
RELAY_HEADERS = frozenset({"VIA", "FORWARDED", "X_REAL_IP", "X_PROXYUSER_IP"})
RELAY_MARKS = ("FORWARDED", "CLIENT_IP", "CONNECTING_IP", "REAL_IP")


def _header_key(name: str) -> str:
    return name.upper().replace("-", "_")


def _is_relay_header(name: str) -> bool:
    """`name` : nom d'en-tête HTTP, quelle que soit sa forme (`X-Real-IP`, `x-real-ip`, `X_REAL_IP`) ; l'en-tête du
    proxy de confiance (TRUSTED_PROXY_HEADER) en est un, quel que soit son nom."""
    key = _header_key(name)
    if key in RELAY_HEADERS or any(mark in key for mark in RELAY_MARKS):
        return True
    trusted = settings.TRUSTED_PROXY_HEADER
    return bool(trusted) and key == _header_key(trusted)


def is_relayed(meta: Mapping) -> bool:
    """La requête (request.META) porte un en-tête posé par un proxy, un tunnel ou un CDN."""
    return any(key.startswith("HTTP_") and _is_relay_header(key[5:]) for key in meta)


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
    return _is_loopback(request.META.get("REMOTE_ADDR")) and not is_relayed(request.META)


def is_local_scope(scope: Mapping) -> bool:
    """Équivalent pour un scope ASGI (WebSocket)."""
    client = scope.get("client") or (None,)
    headers: Iterable = scope.get("headers") or ()
    return _is_loopback(client[0]) and not any(_is_relay_header(name.decode("latin-1")) for name, _ in headers)


def client_ip(remote_addr: str | None, headers: Mapping[str, str]) -> str | None:
    """L'adresse du client : REMOTE_ADDR, ou la dernière adresse de l'en-tête du proxy de confiance
    (TRUSTED_PROXY_HEADER) quand il est configuré ; None si illisible."""
    raw = remote_addr
    header = settings.TRUSTED_PROXY_HEADER
    if header and headers.get(header):
        raw = headers[header].split(",")[-1]
    address = _parse_ip(raw)
    return None if address is None else str(address)
