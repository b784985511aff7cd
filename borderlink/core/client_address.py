"""The address of the client a request comes from, believing X-Forwarded-For only as far as the
proxies the operator trusts (TRUSTED_PROXIES, addresses or networks; none by default).

Each proxy appends the address it received the request from, so the header is read from the right:
the first address that is not a trusted proxy is the client. Anything further left was written by
the client itself and is ignored. A request whose peer is not a trusted proxy is taken at its
peer's address, whatever its headers say, so a forged header changes nothing.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in trusted_networks())


def client_address(request: HttpRequest) -> str:
    peer = request.META.get("REMOTE_ADDR", "") or ""
    current = _parse(peer)
    if current is None or not _trusted(current):
        return peer
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # A trusted proxy never writes this: it came from the client. The last address a
            # trusted proxy vouched for is the best we know, and one the client cannot vary.
            return str(current)
        current = address
        if not _trusted(address):
            return str(address)
    return str(current)
