"""The public pages, cached for anonymous visitors in the cache every web process shares
(`CACHE_URL`: Redis in production, local memory under `make run`).

What is cached: the HTML of a few public pages (`CACHED_VIEWS`) for a visitor without a session
or a flash message, per language and per full query string. Never for a logged-in user, never a
page with something personal (a session cookie sends the visitor past the cache).

When it changes: every stored page carries the *version* it was rendered under, a random
token in the cache, read together with the page in one round trip. Any
INSERT, UPDATE or DELETE on a table of the apps that feed these pages (`WATCHED_TABLES`), by a
service, the admin, a task, a bulk write or raw SQL through Django, replaces the token once its
transaction commits (`transaction.on_commit`), so every stored page is out of date and the next
anonymous GET renders it anew (during a request, once for all its writes, before the response
leaves the middleware):
a new roll-call vote, booking, initiative or comment shows at once. A rolled-back write changes
nothing. Not watched: the tables that no cached page reads (`UNSHOWN_TABLES`: what a secret
ballot writes while its poll is open; tested by rendering every cached page).
Writes from outside Django (a DBA at the psql prompt) and the passing of time (a poll whose
closing time passed) show within `PUBLIC_PAGE_CACHE_SECONDS` (60 s).

What is not cached: the CSP nonce and the CSRF token. They are per response: the stored body has
placeholders where they stood, and each response gets its own fresh values.
"""

import hashlib
import logging
import re
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token

from . import csrf

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
CACHED_VIEWS = frozenset(
    {
        "initiatives:register",
        "initiatives:detail",
        "sroi:overview",
        "sroi:fund",
        "governance:list",
        "governance:detail",
        "reports:year",
    }
)
# Tables of the watched apps that no cached page reads: what an online vote writes while a poll
# is open (its sealed ballot, that the voter took part, the notice telling them so). A secret
# ballot shows on no public page until the count, whose own writes (the decision, the opened
# ballots) renew every page; so a busy poll does not empty the cache of the register, the fund
# and the reports with every vote. `tests/test_pagecache.py::
# test_no_cached_page_reads_the_tables_a_vote_writes` renders every cached page and fails when
# one starts reading them.
UNSHOWN_TABLES = ("governance_sealedballot", "governance_participation",
                  "governance_participationnotice")  # fmt: skip
# The budget rounds' table too: the fund page shows what frozen rounds promised (sroi.promises).
WATCHED_TABLES = re.compile(
    # A write may follow a WITH clause (the sealed ballot's INSERT ... SELECT from its window).
    r'^\s*(?:WITH\s.*?\)\s*)?(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?'
    rf"(?!(?:{'|'.join(UNSHOWN_TABLES)})\b)"
    r"(?:initiatives_|sroi_|governance_|reports_|accounts_area\b|budgeting_round\b)",
    re.IGNORECASE | re.DOTALL,
)
NONCE_MARK = "pagecache-nonce-7d3f19"
CSRF_MARK = "pagecache-csrf-7d3f19"
MASKED_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")


def timeout() -> int:
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 60))


# --- The version: replaced after every committed write -------------------------------------


def bump() -> None:
    """A new version: every cached page is out of date from now on."""
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - a cache that is down must not fail the write
        logger.warning("pagecache: could not replace the version", exc_info=True)


def _new_version() -> str:
    cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    return cache.get(VERSION_KEY)


# During a request: whether a write asked for a new version (`_bump_soon`); None outside one.
_requested: ContextVar[list | None] = ContextVar("pagecache_requested", default=None)


def _bump_soon() -> None:
    """A new version now, or, inside a request, once when the request's response is ready:
    one round trip to the cache however many writes the request made."""
    requested = _requested.get()
    if requested is None:
        bump()
    elif not requested:
        requested.append(True)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and WATCHED_TABLES.match(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:
            _bump_soon()
        else:
            pending = connection.run_on_commit
            savepoints = set(connection.savepoint_ids)
            # One bump per run of writes (a bulk insert writes many rows), not one per row.
            if not (pending and pending[-1][1] is _bump_soon and pending[-1][0] == savepoints):
                transaction.on_commit(_bump_soon, using=connection.alias)
    return result


def watch_connection(sender, connection, **kwargs) -> None:
    """connection_created receiver: every write through this connection is watched."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


# --- The middleware ---------------------------------------------------------------------------


def _cacheable_request(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return (
        request.method == "GET"
        and timeout() > 0
        and match is not None
        and match.view_name in CACHED_VIEWS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def _key(request) -> str:
    query = sorted(request.GET.lists())
    raw = "|".join(
        [
            request.path,
            repr(query),
            getattr(request, "LANGUAGE_CODE", ""),
            request.headers.get("HX-Request", ""),
        ]
    )
    return f"pagecache:page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _without_per_response_values(request, body: str) -> str:
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str):
        body = body.replace(nonce, NONCE_MARK)
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        for token in set(MASKED_TOKEN.findall(body)):
            if _unmask_cipher_token(token) == secret:
                body = body.replace(token, CSRF_MARK)
    return body


def _with_per_response_values(request, body: str) -> str:
    if NONCE_MARK in body:
        body = body.replace(NONCE_MARK, str(request.csp_nonce))
    if CSRF_MARK in body:
        body = body.replace(CSRF_MARK, csrf.token(request))
    return body


class PublicPageCacheMiddleware:
    """Answers an anonymous GET of a cached public page from the cache; stores what it renders.

    Last in MIDDLEWARE, so that every other middleware (CSP, CSRF, security headers, language)
    still handles the cached answer as it handles a rendered one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        requested = _requested.set([])
        try:
            response = self.get_response(request)
        finally:
            # The request's committed writes, if any, replace the version once, before the
            # response goes out: the visitor's next GET already sees them.
            if _requested.get():
                bump()
            _requested.reset(requested)
        key, version = getattr(request, "_pagecache", (None, None))
        if (
            key is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
            and "private" not in response.get("Cache-Control", "")
        ):
            body = _without_per_response_values(request, response.content.decode(response.charset))
            try:
                cache.set(key, (version, response["Content-Type"], body), timeout=timeout())
            except Exception:  # noqa: BLE001 - the page is answered anyway
                logger.warning("pagecache: could not store %s", request.path, exc_info=True)
            response["X-Page-Cache"] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _cacheable_request(request):
            return None
        key = _key(request)
        try:
            # One round trip: the current version and the stored page (with the version it
            # was rendered under; any other version means a write came after it).
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY) or _new_version()
        except Exception:  # noqa: BLE001 - without the cache the page is rendered as usual
            logger.warning("pagecache: cache unavailable", exc_info=True)
            return None
        stored = found.get(key)
        if stored is None or stored[0] != version:
            request._pagecache = (key, version)
            return None
        _version, content_type, body = stored
        response = HttpResponse(_with_per_response_values(request, body), content_type=content_type)
        response["X-Page-Cache"] = "hit"
        return response
