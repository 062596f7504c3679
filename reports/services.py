"""Every write in reports: worker probes, annual report requests and builds, outcomes."""

import hashlib
import logging
import os
import socket
from dataclasses import replace
from datetime import date, timedelta

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from accounts.models import Area, User
from common.services import service
from sroi import selectors as ledger_selectors
from sroi import services as ledger

from . import rendering, snapshot
from .annex import write_annex
from .content import annual_report_content, area_ids
from .models import AnnualReport, Outcome, WorkerProbe
from .money import funds_in_scope

logger = logging.getLogger(__name__)

FIRST_YEAR = 2000


@transaction.atomic
def record_worker_probe(*, token: str) -> WorkerProbe:
    """Record the process and host this code runs in, under `token` (idempotent per token)."""
    probe, _created = WorkerProbe.objects.select_for_update().get_or_create(token=token)
    probe.ran_at = timezone.now()
    probe.pid = os.getpid()
    probe.hostname = socket.gethostname()
    probe.save(update_fields=["ran_at", "pid", "hostname"])
    return probe


# --- annual reports -------------------------------------------------------------------------


def _scope(*, year: int, area: Area | None, language: str):
    return AnnualReport.objects.filter(year=year, language=language, area=area)


def _check_request(*, year: int, language: str) -> None:
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise ValidationError(
            _("A report can be made for the years %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": this_year},
            code="year",
        )
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language: %(code)s.") % {"code": language}, code="lang")


# The system asks too: the beat job of 2 January, `generate_report`, the demo (actor=None).
@service("reports.request_report", system=True)
def request_report(
    *,
    year: int,
    actor: User | None,
    language: str = "nl",
    area: Area | None = None,
    dispatch: bool = True,
) -> AnnualReport:
    """Ask for a (new version of the) report of a year; the worker builds it after the commit.

    A request while the same report is still queued or being made returns that one, so pressing
    the button twice makes one report. With `dispatch=False` the caller builds it itself
    (`generate_report --sync`). If the broker cannot be reached, the request stays in the
    database (`dispatched_at` empty) and `dispatch_pending_reports` sends it later.
    """
    _check_request(year=year, language=language)
    try:
        with transaction.atomic():
            scope = _scope(year=year, area=area, language=language).select_for_update()
            pending = scope.filter(
                status__in=[AnnualReport.Status.QUEUED, AnnualReport.Status.RUNNING]
            ).first()
            if pending is not None and not _is_stuck(pending):
                return pending
            last = scope.order_by("-version").values_list("version", flat=True).first() or 0
            if pending is not None:
                # Its worker died: it never blocks a new version (a late finish stays harmless).
                _give_up(pending, _("The build stopped; a new version was requested."))
            report = AnnualReport.objects.create(
                year=year, area=area, language=language, version=last + 1, requested_by=actor
            )
            if dispatch:
                transaction.on_commit(lambda: dispatch_report(report_id=report.pk))
    except IntegrityError as exc:
        # Two first requests at the same moment both chose version 1; one of them wins.
        raise ValidationError(
            _("This report is being requested at this moment already; try again shortly."),
            code="busy",
        ) from exc
    return report


@service("reports.request_report", system=True)
def request_reports(
    *,
    year: int,
    languages: list[str],
    actor: User | None,
    area: Area | None = None,
) -> list[AnnualReport]:
    """Ask for the report of a year in each of `languages`, in one transaction: one refused
    request asks for none of them. The worker builds each after the commit."""
    return [
        request_report(year=year, language=language, area=area, actor=actor)
        for language in languages
    ]


def dispatch_report(*, report_id: int) -> bool:
    """Send the build of a requested report to the worker; False when the broker is down."""
    # The task by its name from Celery's registry: tasks.py imports this module, not the reverse.
    build_annual_report = current_app.tasks["reports.build_annual_report"]
    try:
        build_annual_report.apply_async(args=[report_id], retry=False)
    except (BrokerError, OSError) as exc:
        logger.warning(
            "report %s kept for later: the broker cannot be reached (%s)", report_id, exc
        )
        return False
    AnnualReport.objects.filter(pk=report_id, dispatched_at__isnull=True).update(
        dispatched_at=timezone.now()
    )
    return True


def _stuck_since():
    return timezone.now() - timedelta(seconds=settings.REPORT_STUCK_AFTER_SECONDS)


def _stuck_filter() -> Q:
    """Being made, or sent, longer ago than any build takes: its worker is gone."""
    since = _stuck_since()
    return Q(status=AnnualReport.Status.RUNNING, started_at__lt=since) | Q(
        status=AnnualReport.Status.QUEUED, dispatched_at__lt=since
    )


def _is_stuck(report: AnnualReport) -> bool:
    since = _stuck_since()
    if report.status == AnnualReport.Status.RUNNING:
        return report.started_at is not None and report.started_at < since
    if report.status == AnnualReport.Status.QUEUED:
        return report.dispatched_at is not None and report.dispatched_at < since
    return False


def _give_up(report: AnnualReport, message: str) -> None:
    logger.warning("report %s stuck since %s: %s", report.pk, report.started_at, message)
    AnnualReport.objects.filter(pk=report.pk).exclude(status=AnnualReport.Status.DONE).update(
        status=AnnualReport.Status.FAILED, finished_at=timezone.now(), error=message[:2000]
    )


def _requeue_stuck(report_id: int) -> bool:
    """Make a stuck build ready to be sent again; False when it has had its last attempt."""
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report_id)
        if not _is_stuck(report):
            return False
        if report.attempts >= settings.REPORT_MAX_ATTEMPTS:
            _give_up(
                report,
                _("The build stopped %(count)d times; ask for a new version.")
                % {"count": report.attempts},
            )
            return False
        logger.warning("report %s: its build stopped; sending it again", report_id)
        report.status = AnnualReport.Status.QUEUED
        report.dispatched_at = None
        report.save(update_fields=["status", "dispatched_at"])
    return True


def dispatch_pending_reports() -> int:
    """Send every request that did not reach the broker yet, and again every build whose worker
    died (stuck longer than REPORT_STUCK_AFTER_SECONDS); returns how many were sent.

    A worker killed mid-build leaves its message unacknowledged in Redis until the visibility
    timeout; this does not wait for that. A build sent twice is harmless: `build_report` is
    idempotent.
    """
    stuck = AnnualReport.objects.filter(_stuck_filter()).values_list("pk", flat=True)
    for pk in list(stuck):
        _requeue_stuck(pk)
    pending = AnnualReport.objects.filter(
        status=AnnualReport.Status.QUEUED, dispatched_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(dispatch_report(report_id=pk) for pk in list(pending))


def _start(report_id: int) -> AnnualReport | None:
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report_id)
        if report.status == AnnualReport.Status.DONE:
            return None
        report.status = AnnualReport.Status.RUNNING
        report.started_at = timezone.now()
        report.attempts += 1
        report.error = ""
        report.save(update_fields=["status", "started_at", "attempts", "error"])
    return report


def _close_year_of(report: AnnualReport, *, today: date) -> None:
    """A report of a year that has ended closes that year for bookings, before its figures are
    read: what it publishes is final, and a later booking cannot change them (see
    `sroi.services.close_year`). A report of the current year closes nothing. `today` is the
    build's one reading of the clock."""
    if report.snapshot or report.year >= today.year:
        return
    ledger.close_year(
        year=report.year,
        actor=None,
        reason=_("Annual report %(year)s published (version %(version)s)")
        % {"year": report.year, "version": report.version},
    )


def _period(report: AnnualReport, *, today: date) -> tuple[date, bool]:
    """The last day the report counts, and whether it is interim: final only when its year is
    closed in the database, read in the snapshot the figures are read in. Not from the clock
    alone: a build that reads 31 December first and 1 January later would publish an open year
    as final (insider review 2026-12-05, R4)."""
    if ledger_selectors.closed_years().filter(year__gte=report.year).exists():
        return date(report.year, 12, 31), False
    return min(date(report.year, 12, 31), today), True


def _freeze_content(report: AnnualReport, *, today: date) -> snapshot.Content:
    """The report's content, read in one consistent database snapshot and kept for retries."""
    if report.snapshot:
        return snapshot.load(report.snapshot)
    # The isolation level can only be set as a transaction's first statement: inside a caller's
    # transaction (seed_demo builds the demo reports in one) that transaction's view is used.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        period = _period(report, today=today)
        # Words the content keeps as text (a budget round's status, why a plan got no money)
        # are frozen in the report's own language, not the worker's default (Dutch).
        with translation.override(report.language):
            content = annual_report_content(year=report.year, area=report.area, period=period)
        # The complete listing, read in the same snapshot as the totals it must add up to.
        funds = (
            [fund.pk for fund in funds_in_scope(area_ids(report.area), until=period[0])]
            if report.area_id
            else None
        )
        content = replace(
            content,
            annex=write_annex(report=report, content=content, funds=funds),
            version=report.version,
        )
    stored = snapshot.dump(content)
    AnnualReport.objects.filter(pk=report.pk).update(
        snapshot=stored, interim=content.interim, as_of=content.as_of
    )
    report.snapshot, report.interim, report.as_of = stored, content.interim, content.as_of
    return content


# What finishing a build writes (the snapshot, interim and as_of were stored when frozen).
_DONE_FIELDS = ["pdf", "sha256", "size", "pages", "status", "finished_at", "is_current"]


def build_report(*, report_id: int) -> AnnualReport:
    """Build the PDF of a requested report, store it with its checksum and make it current.

    Idempotent: a finished report is returned as it is. The file is written before the row is
    marked done, in one transaction with the switch of the current version, so a worker that
    dies halfway leaves at most an unreferenced file, never a report marked done without one.
    """
    report = _start(report_id)
    if report is None:
        return AnnualReport.objects.get(pk=report_id)
    # The clock is read once per build: whether the year has ended, and so whether the build
    # closes it, is decided on one date (insider review 2026-12-05, R4).
    today = timezone.localdate()
    try:
        _close_year_of(report, today=today)
        content = _freeze_content(report, today=today)
        pdf, pages = rendering.render_pdf(content, language=report.language)
        sha256 = hashlib.sha256(pdf).hexdigest()
        scope_name = report.area.slug if report.area_id else "gemeente"
        name = default_storage.save(
            f"rapporten/{report.year}/jaarverslag-{report.year}-{scope_name}-"
            f"{report.language}-v{report.version}-{sha256[:12]}.pdf",
            ContentFile(pdf),
        )
    except Exception as exc:
        _fail(report_id, exc)
        raise
    with transaction.atomic():
        # The frozen content is stored already: it is not read back and written again (a big
        # year's snapshot is megabytes of JSON); the returned report loads it when asked.
        report = AnnualReport.objects.select_for_update().defer("snapshot").get(pk=report_id)
        if report.status == AnnualReport.Status.DONE:
            default_storage.delete(name)
            return report
        scope = _scope(year=report.year, area=report.area, language=report.language)
        newer_current = scope.filter(is_current=True, version__gt=report.version).exists()
        if not newer_current:
            scope.filter(is_current=True).update(is_current=False)
        report.pdf = name
        report.sha256 = sha256
        report.size = len(pdf)
        report.pages = pages
        report.status = AnnualReport.Status.DONE
        report.finished_at = timezone.now()
        report.is_current = not newer_current
        report.save(update_fields=_DONE_FIELDS)
    return report


def _fail(report_id: int, exc: Exception) -> None:
    logger.exception("report %s failed", report_id)
    AnnualReport.objects.filter(pk=report_id).exclude(status=AnnualReport.Status.DONE).update(
        status=AnnualReport.Status.FAILED,
        finished_at=timezone.now(),
        error=f"{type(exc).__name__}: {exc}"[:2000],
    )


def request_previous_year_reports(*, today: date | None = None) -> list[AnnualReport]:
    """The beat job of 2 January: the municipality-wide report of last year, in every language."""
    year = (today or timezone.localdate()).year - 1
    return request_reports(
        year=year, languages=[code for code, _name in settings.LANGUAGES], actor=None
    )


# --- outcomes -------------------------------------------------------------------------------


# The demo data records outcomes as the system (actor=None).
@service("reports.record_outcome", obj="initiative", system=True)
def record_outcome(
    *, initiative, year: int, indicator: str, value: int, source: str, actor: User | None
) -> Outcome:
    """Record (or correct) what an initiative achieved on an indicator in a year.

    `actor` is the person who entered the number; None means the system (demo data, imports). It is
    stored as `recorded_by` and as the user of the history row (the service's audit user), so every
    correction shows who made it.
    """
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise ValidationError(
            _("The year must lie between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": this_year},
            code="year",
        )
    # Closing a year closes the years before it too (`sroi.services.close_year`).
    if ledger_selectors.closed_years().filter(year__gte=year).exists():
        # Its report is published with these numbers (insider review 2026-12-05, R3).
        raise ValidationError(
            _("%(year)s is closed: its report is published with these numbers.") % {"year": year},
            code="closed_year",
        )
    if value < 0:
        raise ValidationError(_("A number of people cannot be negative."), code="negative")
    if not source.strip():
        raise ValidationError(_("Say where the number comes from."), code="source")
    outcome = (
        Outcome.objects.select_for_update()
        .filter(initiative=initiative, year=year, indicator=indicator)
        .first()
    ) or Outcome(initiative=initiative, year=year, indicator=indicator)
    outcome.value = value
    outcome.source = source.strip()
    outcome.recorded_by = actor
    outcome.save()
    return outcome
