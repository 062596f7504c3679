"""Middleware that keeps bad input and a lost database from becoming a bare server error."""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest

from .views import bad_request_page, service_unavailable_page

NUL = "\x00"
COOKIE_MAX_LENGTH = 4096


def input_problem(request: HttpRequest) -> str | None:
    """Why the request's path or parameters cannot be accepted, or None when they are fine.

    A NUL character makes PostgreSQL refuse the query (a 500 where the person made a typo or
    an attacker probes); a huge parameter costs every search and filter. Both are refused before
    any view sees them.
    """
    if NUL in request.path:
        return "nul"
    limits = [(request.GET, settings.INPUT_MAX_GET_LENGTH)]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        limits.append((request.POST, settings.INPUT_MAX_POST_LENGTH))
    for params, limit in limits:
        for key, values in params.lists():
            for text in (key, *values):
                if NUL in text:
                    return "nul"
                if len(text) > limit:
                    return "long"
    if limits[1:]:
        for upload in request.FILES.values():
            if NUL in (upload.name or ""):
                return "nul"
    return None


class CookieLimitsMiddleware:
    """Drop a cookie that holds a NUL or is over-long, before the session reads it.

    A quoted cookie may spell NUL as an octal escape (`"abc\\000def"`); PostgreSQL would refuse
    the session lookup. Without the cookie the visitor is simply not signed in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookies = request.COOKIES
        if any(NUL in value or len(value) > COOKIE_MAX_LENGTH for value in cookies.values()):
            request.COOKIES = {
                name: value
                for name, value in cookies.items()
                if NUL not in value and len(value) <= COOKIE_MAX_LENGTH
            }
        return self.get_response(request)


class InputLimitsMiddleware:
    """Refuse NUL characters and over-long parameters with the 400 page in the site's layout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = input_problem(request)
        if problem is not None:
            return bad_request_page(request, reason=problem)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database that is down or restarting gives a 503 'try again later', not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return service_unavailable_page(request, exception)
        return None
