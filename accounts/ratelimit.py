"""Rate limits for forms that must not be hammered: registration, code redemption, password
reset and intake links per client address; casting a vote per person (a Community Home's
voters share one address); failed log-ins per client address (`failures_limited`: one address
that tries a password on many user names is stopped, while the residents of a Community Home who
log in there and get it right are never counted).

A fixed window per address in Django's cache: with Redis as the cache (CACHE_URL) every web
process counts in the same place; with the local-memory cache of `make run` each process counts
its own. Only POSTs count, so reading a page is never limited.
"""

import re
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone

from common.cache import count

from .client_ip import client_ip

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "20/h" → (20, 3600); "5/15m" → (5, 900)."""
    match = _RATE.match(rate)
    if not match:
        raise ValueError(f"A rate is 'number/unit' such as 20/h or 5/15m, not {rate!r}")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit]


def _key(scope: str, address: str | None) -> tuple[str, int, int]:
    """The counter's key of `address` in `scope` for the window of now, the limit, the period."""
    limit, period = parse_rate(settings.RATE_LIMITS[scope])
    window = int(timezone.now().timestamp()) // period
    return f"ratelimit:{scope}:{address or 'unknown'}:{window}", limit, period


def hit(scope: str, address: str | None) -> bool:
    """Count one attempt of `address` in `scope`; True when it is over the limit."""
    key, limit, period = _key(scope, address)
    return count(key, timeout=period + 60) > limit


def reached(scope: str, address: str | None) -> bool:
    """Whether `address` used up `scope` in this window already (counts nothing)."""
    key, limit, _period = _key(scope, address)
    return int(cache.get(key) or 0) >= limit


def _who(request, per: str) -> str | None:
    user = getattr(request, "user", None)
    if per == "user" and user is not None and user.is_authenticated:
        return f"user-{user.pk}"
    return client_ip(request)


def _refusal(request, scope: str):
    """HTTP 429 in the site's layout, with when to try again."""
    _limit, period = parse_rate(settings.RATE_LIMITS[scope])
    response = render(
        request, "accounts/rate_limited.html", {"minutes": max(1, period // 60)}, status=429
    )
    response["Retry-After"] = str(period)
    return response


def failures_limited(scope: str):
    """View decorator for the log-in: once one client address has had RATE_LIMITS[scope]
    failed log-ins in the window (counted by `count_failure`, on Django's `user_login_failed`),
    its next POSTs get HTTP 429 without a password being tried, whatever the user name."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and reached(scope, client_ip(request)):
                return _refusal(request, scope)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def count_failure(sender, credentials=None, request=None, **kwargs):
    """`user_login_failed` receiver: one more failed log-in of the request's client address."""
    if request is not None:
        hit("login_failures", client_ip(request))


def rate_limited(scope: str, *, per: str = "address"):
    """View decorator: a POST beyond RATE_LIMITS[scope] from one client address (per="address")
    or one signed-in person (per="user") gets HTTP 429 with a page in the site's layout; nothing
    behind it runs."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and hit(scope, _who(request, per)):
                return _refusal(request, scope)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
