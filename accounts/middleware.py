"""Two checks on every request of a signed-in person, and the signed-in user without a proxy.

- Staff who logged in with a password reach no page before the second factor
  (`SecondFactorMiddleware`).
- `request.user` is the user itself once loaded (`ResolvedUserMiddleware`).
- Sessions end after a while without activity: residents sooner than staff
  (`IdleTimeoutMiddleware`). A resident may use a shared computer in a library or community
  centre; 15 minutes without a request end their session (SESSION_IDLE_SECONDS_RESIDENT), staff
  after 60 minutes. The cookie itself ends when the browser closes
  (SESSION_EXPIRE_AT_BROWSER_CLOSE). The time of the last request is kept on the server (beside
  the session in the cache: accounts/sessions.py), so the limit holds whatever the browser does.
  However active, a session ends SESSION_MAX_SECONDS (12 hours) after log-in.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _

from . import oidc
from .second_factor import has_confirmed_device, is_verified, needs_second_factor
from .services import is_staff_account
from .sessions import LAST_ACTIVITY, LOGGED_IN_AT

# Pages a staff member may reach before the second factor: the set-up (with its e-mailed link)
# and check themselves, logging out, changing the language, and files and the health checks that
# carry no data; and the browser's Content-Security-Policy reports (a report that is redirected
# is lost).
OPEN_PREFIXES = ("/static/", "/health/", "/_healthz/", "/i18n/")


def resolved(user):
    """The object behind Django's lazy `request.user` (which may wrap another lazy one)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class ResolvedUserMiddleware:
    """Puts the user itself in `request.user`, in place of the lazy stand-in.

    Django's AuthenticationMiddleware and django-otp's OTPMiddleware each wrap `request.user` in
    a lazy object that loads the user when first used; every later use goes through its proxy,
    about a microsecond each, and a vote's request uses it some 150 times. The user is loaded by
    this point for every request anyway (the request log records who asks, and the second-factor
    check looks at who it is), so nothing is loaded that was not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if isinstance(user, LazyObject):
            request.user = resolved(user)
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read by the menu (accounts.context_processors.roles, config.context_processors.todo):
        # until the code is given, it shows no staff pages and no number of tasks.
        request.second_factor_pending = self._must_verify(request)
        if request.second_factor_pending and not self._is_open(request.path):
            target = (
                "accounts:second_factor"
                if has_confirmed_device(request.user)
                else "accounts:second_factor_setup"
            )
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _must_verify(request) -> bool:
        user = request.user
        if not needs_second_factor(user):
            return False
        if oidc.logged_in_with(request, oidc.STAFF):
            return False  # the municipality's identity provider does MFA
        return not is_verified(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        own = (
            reverse("accounts:second_factor"),
            reverse("logout"),
            reverse("csp_report"),
        )
        # The set-up, with the e-mailed link and the button that sends it, under its path.
        setup = reverse("accounts:second_factor_setup")
        return path in own or path.startswith((setup, *OPEN_PREFIXES))


# The stored time is renewed at most this often, so most requests do not write it; a session may
# end up to this many seconds early.
RESOLUTION_SECONDS = 30


def idle_seconds(user) -> int:
    """How long `user` may be idle before their session ends."""
    if is_staff_account(user):
        return settings.SESSION_IDLE_SECONDS_STAFF
    return settings.SESSION_IDLE_SECONDS_RESIDENT


def last_activity(session) -> int | None:
    """When `session` was last in use: our engine's clock (accounts/sessions.py), or the time
    kept in the session by any other engine."""
    reader = getattr(session, "last_activity", None)
    return reader() if reader is not None else session.get(LAST_ACTIVITY)


def renew(session, now: int, limit: int) -> None:
    """`session` is in use at `now`: in the cache with our engine (no database write), in the
    session with any other."""
    renewer = getattr(session, "renew_idle_clock", None)
    if renewer is not None:
        # Kept a little longer than the limit, so the limit (not the cache) ends the session.
        renewer(now, limit + RESOLUTION_SECONDS)
    else:
        session[LAST_ACTIVITY] = now


class IdleTimeoutMiddleware:
    """Log out a user whose last request is longer ago than their role's idle limit, or whose
    log-in is longer ago than SESSION_MAX_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request, user)
        return self.get_response(request)

    @staticmethod
    def _check(request, user) -> None:
        now = int(time.time())
        session = request.session
        last = last_activity(session)
        limit = idle_seconds(user)
        ended = why_ended(now, last, limit, session.get(LOGGED_IN_AT))
        if ended:
            logout(request)
            messages.info(request, ended)
        elif last is None or now - last >= RESOLUTION_SECONDS:
            renew(session, now, limit)


def why_ended(now: int, last: int | None, limit: int, logged_in_at: int | None) -> str:
    """Why a session last in use at `last` and logged in at `logged_in_at` has ended by `now`
    (the message for its user), or "" while it has not."""
    if last is not None and now - last > limit:
        return _("You were logged out after %(minutes)d minutes without activity.") % {
            "minutes": limit // 60
        }
    if logged_in_at is not None and now - logged_in_at > settings.SESSION_MAX_SECONDS:
        return _("You were logged in for %(hours)d hours. Please log in again.") % {
            "hours": settings.SESSION_MAX_SECONDS // 3600
        }
    return ""


def start_idle_clock(sender, request, user, **kwargs) -> None:
    """At log-in (signal user_logged_in): the session's idle time and its lifetime start now."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LAST_ACTIVITY] = now
        request.session[LOGGED_IN_AT] = now
