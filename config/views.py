"""Project-wide pages: the home page and the health endpoint."""

import logging

from django.conf import settings
from django.db import connection
from django.http import FileResponse, JsonResponse
from django.views.decorators.cache import cache_control, never_cache
from django.views.generic import TemplateView

from accounts.models import Area, MemberVerification
from governance import selectors as governance_selectors
from reports import selectors as report_selectors
from sroi import selectors as sroi_selectors

logger = logging.getLogger(__name__)

OPEN_VOTES_SHOWN = 5
DECISIONS_SHOWN = 5


class HomeView(TemplateView):
    """What a first visitor needs: the fund in figures, votes open now, the latest decisions and
    report, and where to get help. A fixed number of queries, however much data there is."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # The same read the public fund overview (/sroi/) uses, so the figures always agree.
        summary = sroi_selectors.fund_summary(None)
        votes = list(governance_selectors.open_votes(user)[: OPEN_VOTES_SHOWN + 1])
        context.update(
            area_count=Area.objects.count(),
            member_count=MemberVerification.objects.filter(revoked_at__isnull=True).count(),
            summary=summary,
            votes=votes[:OPEN_VOTES_SHOWN],
            more_votes=len(votes) > OPEN_VOTES_SHOWN,
            decisions=list(governance_selectors.latest_decisions(DECISIONS_SHOWN)),
            report=report_selectors.published_reports().filter(area__isnull=True).first(),
            community_home={
                "name": settings.COMMUNITY_HOME_NAME,
                "address": settings.COMMUNITY_HOME_ADDRESS,
                "hours": settings.COMMUNITY_HOME_HOURS,
            },
        )
        return context


FAVICON = settings.BASE_DIR / "static" / "favicon.ico"


@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for on every site whatever the page links."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")


def _check_database() -> tuple[str, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        logger.warning("health: database down: %s", exc)
        return "down", type(exc).__name__
    return "up", connection.vendor


def _check_broker() -> tuple[str, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "up", "eager (no broker: tasks run in the web process)"
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        logger.warning("health: broker down: %s", exc)
        return "down", type(exc).__name__
    # The scheme only: the URL may hold a password.
    return "up", app.conf.broker_url.split(":", 1)[0]


@never_cache
def health(request):
    """Report the database and the broker: 200 when both are up, 503 otherwise."""
    database, database_detail = _check_database()
    broker, broker_detail = _check_broker()
    ok = database == "up" and broker == "up"
    return JsonResponse(
        {
            "status": "ok" if ok else "degraded",
            "database": {"status": database, "detail": database_detail},
            "broker": {"status": broker, "detail": broker_detail},
        },
        status=200 if ok else 503,
    )
