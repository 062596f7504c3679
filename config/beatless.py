"""What the beat does, also without a beat: the embedded mode (`make run`) has no scheduler.

With `RUN_BEAT_IN_WEB` (on by default only in the embedded mode: DEBUG with eager tasks), the web
process looks at most once a minute, after answering a request, which entries of
`CELERY_BEAT_SCHEDULE` are due and runs them in-process. Every scheduled task is idempotent
(closing polls, sending what is pending, the weekly digest and letters, the annual report), so a
run that overlaps with another does no harm. Production runs exactly one real beat instead.
"""

import logging
from datetime import datetime, timedelta

from celery.schedules import crontab, schedule
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from config.celery import app

logger = logging.getLogger(__name__)
CHECK_EVERY = 60  # seconds
STARTED_AT = "beatless:started-at"


def _as_schedule(value) -> schedule:
    if isinstance(value, schedule | crontab):
        return value
    return schedule(timedelta(seconds=float(value)))


def due_entries(now: datetime) -> list[str]:
    """The names of the schedule's entries that are due at `now`; remembers the first look."""
    started = cache.get(STARTED_AT)
    if started is None:
        cache.set(STARTED_AT, now, timeout=None)
        started = now
    due = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        last = cache.get(f"beatless:last:{name}")
        plan = _as_schedule(entry["schedule"])
        if last is None and not isinstance(plan, crontab):
            due.append(name)  # interval tasks also run right after the start
            continue
        if plan.remaining_estimate(last or started) <= timedelta(0):
            due.append(name)
    return due


def run_due(now: datetime | None = None) -> list[str]:
    """Run what is due; each task's failure is logged and does not stop the others."""
    app.loader.import_default_modules()  # the apps' tasks modules, as a worker loads them
    now = now or timezone.now()
    ran = []
    for name in due_entries(now):
        task_name = settings.CELERY_BEAT_SCHEDULE[name]["task"]
        cache.set(f"beatless:last:{name}", now, timeout=None)
        try:
            app.tasks[task_name].apply(throw=True)
        except Exception:  # noqa: BLE001 - one broken task must not stop the rest or the page
            logger.exception("beatless: %s failed", task_name)
            continue
        ran.append(name)
    return ran


class BeatlessMiddleware:
    """Runs due scheduled tasks after a response, at most once a minute per process."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.RUN_BEAT_IN_WEB and cache.add("beatless:lock", 1, timeout=CHECK_EVERY):
            run_due()
        return response
