"""The CSRF token a page shows: Django's `get_token`, with its mask drawn from one read of the
system's random source instead of 32.

Django masks the CSRF secret afresh for every page it is shown on (against BREACH): 32 mask
characters, each drawn with `secrets.choice`, which asks the kernel for random bytes once per
character. That is 32 system calls, some 40 µs, on every page with a form, which is every page
(the header's log-out and language forms), and a percent of casting a vote. `token` draws the
same 32 characters from one `secrets.token_bytes` read: a byte below 248 (4 × 62) gives one of
the 62 characters with equal chance, a byte of 248 or more is passed over. So the mask is as
uniform and as unpredictable as Django's (tests/test_csrf_token.py counts it), the token has
Django's form (the mask, then the secret shifted by it: 64 characters), and Django's
middleware checks it as its own. A first visit, without a secret yet, gets a new one drawn the
same way, which the middleware sends as the cookie (Django's `get_token` does the same).

`csrf` is the context processor that gives templates this token (`{% csrf_token %}`); it comes
after Django's own in TEMPLATES, so its value is the one pages get. Both are lazy: a page that
shows no form masks nothing and sets no cookie.
"""

import secrets

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: index for index, char in enumerate(_CHARS)}
_ALLOWED = frozenset(_CHARS)
_BELOW = 256 - 256 % len(_CHARS)  # the bytes that map onto the characters evenly


def mask_indices() -> list[int]:
    """32 positions in CSRF_ALLOWED_CHARS, each equally likely, from the system's random
    source."""
    found: list[int] = []
    while len(found) < CSRF_SECRET_LENGTH:
        # 48 bytes give 32 usable ones but for a chance of about 1 in 10^11; then read again
        found += [byte % len(_CHARS) for byte in secrets.token_bytes(48) if byte < _BELOW]
    return found[:CSRF_SECRET_LENGTH]


def token(request) -> str:
    """Django's `get_token(request)`: the request's CSRF secret (a new one on a first visit)
    masked afresh, and the cookie marked to be sent (again: its expiry renewed), as Django
    does."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:  # a first visit: a new secret, for the cookie, as Django makes one
        secret = request.META["CSRF_COOKIE"] = "".join(_CHARS[i] for i in mask_indices())
    elif len(secret) != CSRF_SECRET_LENGTH or not _ALLOWED.issuperset(secret):
        return get_token(request)  # not a secret as Django's middleware reads them: its answer
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = mask_indices()
    count = len(_CHARS)
    cipher = (
        _CHARS[(_INDEX[char] + shift) % count] for char, shift in zip(secret, mask, strict=True)
    )
    return "".join(_CHARS[shift] for shift in mask) + "".join(cipher)


def csrf(request) -> dict:
    """Context processor: `csrf_token`, worked out when a template first shows it."""
    return {"csrf_token": SimpleLazyObject(lambda: token(request))}
