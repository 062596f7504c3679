"""A report whose worker died is sent again and never blocks a new version (point 6)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from reports import services
from reports.models import AnnualReport
from reports.tasks import build_annual_report

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


def _stuck(*, seconds_ago: int, attempts: int = 1) -> AnnualReport:
    report = services.request_report(year=YEAR, language="nl", dispatch=False, actor=None)
    long_ago = timezone.now() - timedelta(seconds=seconds_ago)
    AnnualReport.objects.filter(pk=report.pk).update(
        status=AnnualReport.Status.RUNNING,
        started_at=long_ago,
        dispatched_at=long_ago,
        attempts=attempts,
    )
    return AnnualReport.objects.get(pk=report.pk)


def test_a_build_stuck_longer_than_the_limit_is_sent_again_and_made():
    report = _stuck(seconds_ago=settings.REPORT_STUCK_AFTER_SECONDS + 60)
    assert services.dispatch_pending_reports() == 1
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE and report.attempts == 2
    assert report.is_current


def test_a_build_still_within_the_limit_is_left_alone():
    report = _stuck(seconds_ago=60)
    assert services.dispatch_pending_reports() == 0
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.RUNNING and report.attempts == 1
    # ... and a second request returns it instead of making another version.
    assert (
        services.request_report(year=YEAR, language="nl", dispatch=False, actor=None).pk
        == report.pk
    )


def test_a_stuck_build_never_blocks_a_new_request():
    stuck = _stuck(seconds_ago=settings.REPORT_STUCK_AFTER_SECONDS + 60)
    new = services.request_report(year=YEAR, language="nl", dispatch=False, actor=None)
    assert new.pk != stuck.pk and new.version == stuck.version + 1
    stuck.refresh_from_db()
    assert stuck.status == AnnualReport.Status.FAILED and stuck.error


def test_after_the_last_attempt_a_stuck_build_is_marked_failed_not_sent(settings):
    report = _stuck(
        seconds_ago=settings.REPORT_STUCK_AFTER_SECONDS + 60,
        attempts=settings.REPORT_MAX_ATTEMPTS,
    )
    assert services.dispatch_pending_reports() == 0
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FAILED
    assert str(settings.REPORT_MAX_ATTEMPTS) in report.error


def test_the_broker_keeps_a_running_build_longer_than_the_longest_build():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.REPORT_BUILD_MAX_SECONDS
    assert build_annual_report.time_limit > settings.REPORT_BUILD_MAX_SECONDS
    assert build_annual_report.time_limit < visibility
    assert settings.REPORT_STUCK_AFTER_SECONDS > settings.REPORT_BUILD_MAX_SECONDS
