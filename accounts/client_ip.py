"""The visitor's own address, also behind the reverse proxy the README describes.

Every request reaches the app from the proxy, so REMOTE_ADDR is the proxy's address for every
visitor. Each proxy appends the address it received the request from to X-Forwarded-For; with
TRUSTED_PROXY_COUNT proxies in front of the app, the entry the outermost of them wrote is the
client, counted from the right. Entries further left were sent by the visitor and can be forged,
so they are never read. Log-in lock-outs (django-axes) and rate limits key on this address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR without proxies, else the trusted X-Forwarded-For entry."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # Fewer entries than proxies: the request did not come through them all (a health check
        # from inside the network); its direct peer is all we know.
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


def axes_username(request, credentials=None) -> str | None:
    """The user name django-axes records for a failed log-in, at most 150 characters (a user
    name is never longer): its table holds 255, and PostgreSQL refuses a longer value with an
    error instead of a lock-out (found by the fuzz suite)."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username[:150] if isinstance(username, str) else username
