"""Probes for an orchestrator: liveness (the process answers) and readiness (it can serve).

`/_healthz/livez/` touches nothing: no database, no cache, no broker, no session, no template. It is
the baseline of the benchmarks too. `/_healthz/readyz/` (and `/health/`, kept for docker-compose)
checks the database, the cache and the broker and answers 503 when one is down. Tasks run eagerly
with no beat (no broker in production) is "missing", not "up": the site serves, so it stays 200,
but the body says "incomplete" (config/checks.py warns about it too).
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import app
from config.checks import tasks_run_without_schedule

logger = logging.getLogger(__name__)


@never_cache
def livez(request):
    """The process is up. Nothing else is checked, on purpose."""
    return HttpResponse(b"ok", content_type="text/plain")


def _check_database() -> tuple[str, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        logger.warning("readiness: database down: %s", exc)
        return "down", type(exc).__name__
    return "up", connection.vendor


def _check_cache() -> tuple[str, str]:
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        logger.warning("readiness: cache down: %s", exc)
        return "down", type(exc).__name__
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return ("up", backend) if ok else ("down", backend)


def _check_broker() -> tuple[str, str]:
    if tasks_run_without_schedule():
        return "missing", "eager without a beat: tasks run in the web process, scheduled ones never"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "up", "eager (no broker: tasks and the schedule run in the web process)"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        logger.warning("readiness: broker down: %s", exc)
        return "down", type(exc).__name__
    # The scheme only: the URL may hold a password.
    return "up", app.conf.broker_url.split(":", 1)[0]


@never_cache
def readyz(request):
    """Report the database, the cache and the broker: 503 when one is down, else 200 ("ok", or
    "incomplete" when tasks run without a beat)."""
    checks = {
        "database": _check_database(),
        "cache": _check_cache(),
        "broker": _check_broker(),
    }
    statuses = {status for status, _ in checks.values()}
    ok = "down" not in statuses
    body = {"status": "degraded" if not ok else "incomplete" if "missing" in statuses else "ok"}
    body.update({name: {"status": s, "detail": d} for name, (s, d) in checks.items()})
    return JsonResponse(body, status=200 if ok else 503)
