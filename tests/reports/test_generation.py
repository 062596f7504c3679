"""Requesting and building annual reports: versions, idempotency, failures, a broker that is down."""

import hashlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from kombu.exceptions import OperationalError
from pypdf import PdfReader

from reports import services, tasks
from reports.models import AnnualReport

pytestmark = pytest.mark.django_db


def pdf_text(report: AnnualReport) -> str:
    with report.pdf.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def request(django_capture_on_commit_callbacks, **kwargs) -> AnnualReport:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(**{"actor": None} | kwargs)
    report.refresh_from_db()
    return report


def test_a_requested_report_is_built_with_its_checksum_and_is_current(
    django_capture_on_commit_callbacks, civil_servant
):
    report = request(
        django_capture_on_commit_callbacks, year=2025, language="nl", actor=civil_servant
    )

    assert report.status == AnnualReport.Status.DONE
    assert report.is_current and report.version == 1
    with report.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    assert report.sha256 == hashlib.sha256(data).hexdigest()
    assert report.size == len(data)
    assert report.dispatched_at is not None and report.requested_by == civil_servant
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == report.pages >= 3
    assert reader.metadata.title.startswith("Jaarverslag 2025")
    assert "Inhoud" in pdf_text(report)


def test_the_english_report_is_in_english(django_capture_on_commit_callbacks):
    report = request(django_capture_on_commit_callbacks, year=2025, language="en")

    text = pdf_text(report)
    assert "Contents" in text and "Annual report 2025" in text
    assert PdfReader(report.pdf.path).metadata.title.startswith("Annual report 2025")


def test_making_a_year_again_keeps_the_earlier_version_and_switches_current(
    django_capture_on_commit_callbacks,
):
    first = request(django_capture_on_commit_callbacks, year=2025, language="nl")
    second = request(django_capture_on_commit_callbacks, year=2025, language="nl")

    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert not first.is_current and second.is_current
    assert first.pdf.storage.exists(first.pdf.name)
    assert AnnualReport.objects.filter(year=2025, is_current=True).count() == 1


# The request's build must not have run at its commit; committed it has (tests/at_commit.py).
@pytest.mark.rolled_back_only
def test_a_second_request_while_one_is_pending_returns_the_pending_one():
    # not committed: stays queued
    first = services.request_report(year=2025, language="nl", actor=None)
    again = services.request_report(year=2025, language="nl", actor=None)

    assert again.pk == first.pk
    assert AnnualReport.objects.count() == 1


def test_building_twice_gives_one_report():
    report = services.request_report(year=2025, language="nl", actor=None)

    services.build_report(report_id=report.pk)
    done = services.build_report(report_id=report.pk)

    assert done.attempts == 1
    assert AnnualReport.objects.filter(status=AnnualReport.Status.DONE).count() == 1


@freeze_time("2026-06-01")
@pytest.mark.parametrize(("year", "language"), [(1999, "nl"), (2027, "nl"), (2025, "fr")])
def test_a_request_for_an_impossible_year_or_language_is_refused(year, language):
    with pytest.raises(ValidationError):
        services.request_report(year=year, language=language, actor=None)
    assert not AnnualReport.objects.exists()


# The request's build must not have run at its commit; committed it has (tests/at_commit.py).
@pytest.mark.rolled_back_only
def test_a_failure_is_recorded_and_a_retry_makes_one_current_version(monkeypatch):
    report = services.request_report(year=2025, language="nl", actor=None)
    from reports import rendering

    real_render = rendering.render_pdf
    calls = {"n": 0}

    def fail_once(content, *, language):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("disk full")
        return real_render(content, language=language)

    monkeypatch.setattr(rendering, "render_pdf", fail_once)

    with pytest.raises(OSError):
        services.build_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FAILED
    assert "disk full" in report.error
    assert not report.is_current and not report.pdf

    # The Celery task retries transient errors such as this one; the retry finishes the report.
    tasks.build_annual_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE and report.is_current
    assert report.attempts == 2 and report.error == ""
    assert AnnualReport.objects.filter(is_current=True).count() == 1


# The request's build must not have run at its commit; committed it has (tests/at_commit.py).
@pytest.mark.rolled_back_only
def test_the_task_retries_a_transient_failure_by_itself(monkeypatch, settings):
    report = services.request_report(year=2025, language="nl", actor=None)
    from reports import rendering

    real_render = rendering.render_pdf
    calls = {"n": 0}

    def fail_once(content, *, language):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("storage not reachable")
        return real_render(content, language=language)

    monkeypatch.setattr(rendering, "render_pdf", fail_once)
    result = tasks.build_annual_report.apply(args=[report.pk], throw=False)

    report.refresh_from_db()
    assert result.successful()
    assert report.status == AnnualReport.Status.DONE and report.attempts == 2


# The request's build must not have run at its commit; committed it has (tests/at_commit.py).
@pytest.mark.rolled_back_only
def test_content_is_frozen_at_the_first_attempt(monkeypatch):
    """A retry renders the same content, even when the data changed in between."""
    report = services.request_report(year=2025, language="nl", actor=None)
    from reports import rendering

    monkeypatch.setattr(
        rendering, "render_pdf", lambda content, *, language: (_ for _ in ()).throw(OSError())
    )
    with pytest.raises(OSError):
        services.build_report(report_id=report.pk)
    report.refresh_from_db()
    frozen = report.snapshot
    assert frozen["year"] == 2025

    monkeypatch.undo()
    from tests.initiatives.factories import InitiativeFactory

    InitiativeFactory()
    services.build_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.snapshot == frozen


def test_when_the_broker_is_down_the_request_is_kept_and_sent_later(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(tasks.build_annual_report, "apply_async", broker_down)
    report = request(django_capture_on_commit_callbacks, year=2025, language="nl")

    assert report.status == AnnualReport.Status.QUEUED and report.dispatched_at is None
    assert services.dispatch_pending_reports() == 0

    monkeypatch.undo()
    assert services.dispatch_pending_reports() == 1
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE and report.dispatched_at is not None
    assert services.dispatch_pending_reports() == 0


@freeze_time("2027-01-02 06:00", tz_offset=0)
def test_the_beat_job_of_2_january_makes_last_years_report_in_both_languages(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.request_previous_year_reports.apply()

    reports = AnnualReport.objects.order_by("language")
    assert [(r.year, r.language, r.status) for r in reports] == [
        (2026, "en", AnnualReport.Status.DONE),
        (2026, "nl", AnnualReport.Status.DONE),
    ]


def test_the_database_refuses_two_current_versions():
    # IntegrityError on SQLite; on PostgreSQL the published-version trigger refuses it first
    from django.db import DatabaseError, transaction

    first = services.request_report(year=2025, language="nl", actor=None)
    services.build_report(report_id=first.pk)
    second = AnnualReport.objects.create(
        year=2025, language="nl", version=2, status=AnnualReport.Status.DONE, sha256="0" * 64
    )
    second.is_current = True
    with pytest.raises(DatabaseError), transaction.atomic():
        second.save()


def test_the_pdf_shows_the_money_trail_and_the_reconciliation(django_capture_on_commit_callbacks):
    import datetime
    from decimal import Decimal

    from sroi import services as sroi
    from tests.initiatives.factories import InitiativeFactory
    from tests.sroi.factories import ContractFactory, allocate, bookkeeper, make_fund

    fund = make_fund(name="Gemeenschapsfonds Zuidoost")
    contract = ContractFactory(reference="AMS-2025-0001", title="Bouw museum")
    initiative = InitiativeFactory(name="Community Home 24/7")
    sroi.record_contribution(
        fund=fund,
        contract=contract,
        amount=Decimal("1000.00"),
        date=datetime.date(2025, 2, 1),
        actor=None,
    )
    allocation = allocate(
        fund=fund,
        initiative=initiative,
        amount=Decimal("600.00"),
        purpose="Huur",
        actor=bookkeeper(),
        date=datetime.date(2025, 3, 1),
    )
    sroi.disburse(
        allocation=allocation,
        amount=Decimal("250.00"),
        date=datetime.date(2025, 4, 1),
        actor=bookkeeper(),
    )

    report = request(django_capture_on_commit_callbacks, year=2025, language="nl")

    text = " ".join(pdf_text(report).split())
    assert "Gemeenschapsfonds Zuidoost" in text
    assert "AMS-2025-0001" in text and "Community Home 24/7" in text
    assert "€ 0,00 + € 1.000,00 − € 250,00 = € 750,00" in text
    assert allocation.decision_reference.startswith("BK-2025-")
    assert allocation.decision_reference in text


def test_a_build_writes_the_frozen_content_once_and_returns_it():
    # Issue 16: finishing the build used to read the whole snapshot back and write it again.
    report = services.request_report(year=2025, language="nl", actor=None, dispatch=False)

    with CaptureQueriesContext(connection) as queries:
        done = services.build_report(report_id=report.pk)

    table = AnnualReport._meta.db_table
    writes = [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and f'"{table}"' in q["sql"]
    ]
    assert sum('"snapshot"' in sql for sql in writes) == 1
    assert done.status == AnnualReport.Status.DONE and done.pages >= 3
    stored = AnnualReport.objects.get(pk=report.pk)
    assert done.snapshot == stored.snapshot and stored.snapshot["year"] == 2025
    assert (stored.sha256, stored.is_current) == (done.sha256, True)


def _structure_tags(element, seen: set[str]) -> set[str]:
    """The structure types under `element` of a PDF's structure tree (/S of each element)."""
    element = element.get_object()
    if "/S" in element:
        seen.add(str(element["/S"]))
    kids = element.get("/K")
    if kids is None:
        return seen
    kids = kids.get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if hasattr(kid, "get") and ("/S" in kid or "/K" in kid):
            _structure_tags(kid, seen)
    return seen


def test_the_report_stays_a_tagged_pdf_ua_document_with_its_contents(
    django_capture_on_commit_callbacks,
):
    # Issue 16: shortening the report must not cost its accessibility (PDF/UA-1, WeasyPrint).
    report = request(django_capture_on_commit_callbacks, year=2025, language="nl")
    reader = PdfReader(report.pdf.path)
    root = reader.trailer["/Root"]
    # Tagged: marked content with a structure tree, in the report's language, titled.
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "nl"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    tags = _structure_tags(root["/StructTreeRoot"], set())
    assert {"/H1", "/H2", "/P", "/Table", "/THead", "/TH", "/TD", "/Figure", "/Link"} <= tags, tags
    # The contents page, and the headings as the PDF's bookmarks.
    assert "Inhoud" in pdf_text(report)
    bookmarks = [item.title for item in reader.outline if hasattr(item, "title")]
    assert bookmarks[:3] == ["Inhoud", "Samenvatting", "De fondsen"]
