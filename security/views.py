"""Error pages in the site's layout, the CSP report endpoint and security.txt.

The 500 and 503 pages are rendered without a request context: no context processor runs, so
they show even when the database (sessions, users, permissions) is the thing that failed.
"""

import json
import logging
import sys
from datetime import UTC, timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from django.views.decorators.http import require_GET, require_POST

logger = logging.getLogger("security")
csp_logger = logging.getLogger("security.csp")

RETRY_AFTER_SECONDS = 60


def _reasons() -> dict[str, str]:
    return {
        "nul": _("Your input holds a character that is not allowed (a NUL character)."),
        "long": _("Your input is too long."),
    }


def bad_request_page(request, *, reason: str | None = None) -> HttpResponse:
    """The 400 page in the layout, with what was wrong with the input."""
    return render(request, "400.html", {"reason": _reasons().get(reason or "", "")}, status=400)


def _bare_context() -> dict:
    # No request: no context processor queries the database that may be down.
    return {"MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME}


def service_unavailable_page(request, exception=None) -> HttpResponse:
    """503 'try again later' for a database that is down; no query is made to show it."""
    logger.error("database unavailable: %s", type(exception).__name__ if exception else "?")
    response = HttpResponse(render_to_string("503.html", _bare_context()), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@requires_csrf_token
def bad_request(request, exception=None):
    return bad_request_page(request)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """handler500; an error that is a lost database connection becomes the 503 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        return service_unavailable_page(request, exception)
    return HttpResponseServerError(render_to_string("500.html", _bare_context()))


@requires_csrf_token
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the 403 page in the layout, saying the form was too old."""
    return render(
        request,
        "403.html",
        {"reason": _("The form could not be sent safely. Go back, reload the page and try again.")},
        status=403,
    )


@csrf_exempt
@require_POST
def csp_report(request):
    """Log a Content-Security-Policy violation report sent by a browser; answer 204."""
    body = request.body[: settings.CSP_REPORT_MAX_BYTES]
    try:
        report = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return HttpResponse(status=400)
    if isinstance(report, dict):
        report = report.get("csp-report", report)
    csp_logger.warning("CSP violation: %s", json.dumps(report, ensure_ascii=True)[:2000])
    return HttpResponse(status=204)


@never_cache
@require_GET
def security_txt(request):
    """/.well-known/security.txt (RFC 9116): whom to tell about a vulnerability."""
    expires = timezone.now().replace(microsecond=0) + timedelta(days=settings.SECURITY_TXT_DAYS)
    lines = [f"Contact: {settings.SECURITY_CONTACT}"]
    lines.append(f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}")
    lines.append("Preferred-Languages: nl, en")
    lines.append(f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}")
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
