import logging

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import DatabaseError

from . import integrity, services

logger = logging.getLogger(__name__)


@shared_task(name="reports.probe_worker")
def probe_worker(token: str) -> int:
    """Record where the worker runs; returns the worker's process id."""
    return services.record_worker_probe(token=token).pid


@shared_task(
    name="reports.build_annual_report",
    acks_late=True,
    autoretry_for=(DatabaseError, OSError),
    max_retries=3,
    retry_backoff=5,
    # A build that hangs is stopped (soft: marked failed; hard: the dispatcher sends it again).
    soft_time_limit=settings.REPORT_BUILD_MAX_SECONDS,
    time_limit=settings.REPORT_BUILD_MAX_SECONDS + 30,
)
def build_annual_report(report_id: int) -> str:
    """Build one requested annual report; returns its checksum."""
    return services.build_report(report_id=report_id).sha256


@shared_task(name="reports.dispatch_pending_reports")
def dispatch_pending_reports() -> int:
    """Send report requests that were made while the broker was down."""
    return services.dispatch_pending_reports()


@shared_task(name="reports.request_previous_year_reports")
def request_previous_year_reports() -> list[int]:
    """Beat, 2 January: last year's report."""
    return [report.pk for report in services.request_previous_year_reports()]


@shared_task(name="reports.verify_reports")
def verify_reports() -> int:
    """Beat, daily: hash every published report file; logs an error per file that is missing or
    differs (as `manage.py verify_reports`); returns how many."""
    problems = integrity.verify_reports().problems
    for problem in problems:
        logger.error("published report file is not as published: %s", problem.describe())
    return len(problems)


@worker_ready.connect
def _send_pending_when_worker_starts(**kwargs) -> None:
    dispatch_pending_reports.delay()
