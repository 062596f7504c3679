"""A published report's PDF or annex file that was swapped or removed in storage is refused
(503), never served as the published one; `verify_reports` (command and daily task) finds it."""

import hashlib
import json
import logging
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from freezegun import freeze_time

from config import beatless
from reports import rendering, services, tasks
from tests.sroi.factories import funded

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

YEAR = 2025
FORGED_PDF = b"%PDF-1.4 a different report, FORGED-PDF-MARK"
FORGED_CSV = b"id,datum,fonds\n1,2025-01-10,FORGED-CSV-MARK\n"
PDF_URLS = [f"/rapporten/{YEAR}.pdf", f"/rapporten/{YEAR}/nl/v1.pdf"]
CSV_URLS = [
    f"/rapporten/{YEAR}/bijlage/transacties.csv",
    f"/rapporten/{YEAR}/nl/v1/bijlage/transacties.csv",
]


@pytest.fixture(autouse=True)
def _cheap_pdf(monkeypatch):
    """WeasyPrint is not what is tested here: a PDF stand-in made from the frozen content."""

    def fake(content, *, language):
        from reports.snapshot import dump

        body = json.dumps(dump(content), sort_keys=True, default=str).encode()
        return b"%PDF-1.4 fake\n" + body, 1

    monkeypatch.setattr(rendering, "render_pdf", fake)


@pytest.fixture
def report():
    funded("1000.00")
    requested = services.request_report(year=YEAR, language="nl", dispatch=False, actor=None)
    return services.build_report(report_id=requested.pk)


def _annex(report, name="transacties", fmt="csv") -> dict:
    files = report.snapshot["annex"]["files"]
    return next(f for f in files if (f["name"], f["format"]) == (name, fmt))


def _overwrite(name: str, data: bytes) -> None:
    # what anyone with write access to MEDIA_ROOT (or the bucket's key) can do
    with open(default_storage.path(name), "wb") as handle:
        handle.write(data)


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _assert_refused(response, forged: bytes, mark: bytes) -> None:
    assert response.status_code == 503
    body = _body(response)
    assert forged not in body and mark not in body
    assert b'data-testid="report-file-refused"' in body
    assert b"utrecht-heading-1" in body and b"</html>" in body  # the site's layout
    assert "X-Checksum-SHA256" not in response and "ETag" not in response
    assert response["Content-Type"].startswith("text/html")


# --- serving ------------------------------------------------------------------------------------


def test_a_swapped_pdf_is_refused_and_logged(client, report, caplog):
    _overwrite(report.pdf.name, FORGED_PDF)
    with caplog.at_level(logging.ERROR, logger="reports.integrity"):
        for url in PDF_URLS:
            _assert_refused(client.get(url), FORGED_PDF, b"FORGED-PDF-MARK")
    logged = [r.getMessage() for r in caplog.records if r.name == "reports.integrity"]
    assert len(logged) == len(PDF_URLS)
    assert all("v1" in line and report.pdf.name in line for line in logged)
    assert not any("FORGED" in line for line in logged)  # the file is named, not its bytes
    report.refresh_from_db()
    assert report.is_current  # nothing in the database changes


def test_a_swapped_annex_file_is_refused_and_logged(client, report, caplog):
    annex = _annex(report)
    _overwrite(annex["path"], FORGED_CSV)
    with caplog.at_level(logging.ERROR, logger="reports.integrity"):
        for url in CSV_URLS:
            _assert_refused(client.get(url), FORGED_CSV, b"FORGED-CSV-MARK")
    logged = [r.getMessage() for r in caplog.records if r.name == "reports.integrity"]
    assert len(logged) == len(CSV_URLS)
    assert all("v1" in line and annex["path"] in line for line in logged)
    # the other files of the same report are untouched and still served
    assert client.get(f"/rapporten/{YEAR}/bijlage/transacties.json").status_code == 200
    assert client.get(f"/rapporten/{YEAR}.pdf").status_code == 200


def test_a_removed_pdf_or_annex_file_is_refused(client, report):
    os.remove(default_storage.path(report.pdf.name))
    os.remove(default_storage.path(_annex(report)["path"]))
    for url in [*PDF_URLS, *CSV_URLS]:
        response = client.get(url)
        assert response.status_code == 503, url
        assert b'data-testid="report-file-refused"' in _body(response)


def test_untouched_files_are_served_with_their_bytes_and_headers(client, report):
    # a regression guard: the check changes nothing for the published files
    with report.pdf.open("rb") as handle:
        stored_pdf = handle.read()
    for url in PDF_URLS:
        response = client.get(url)
        assert response.status_code == 200
        assert _body(response) == stored_pdf
        assert hashlib.sha256(stored_pdf).hexdigest() == report.sha256
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Length"] == str(len(stored_pdf))
        assert response["Content-Disposition"] == (
            f'inline; filename="jaarverslag-{YEAR}-nl-v1.pdf"'
        )
        assert response["ETag"] == f'"{report.sha256}"'
        assert response["X-Checksum-SHA256"] == report.sha256
    for fmt, content_type in (("csv", "text/csv; charset=utf-8; header=present"),
                              ("json", "application/json")):  # fmt: skip
        annex = _annex(report, fmt=fmt)
        with default_storage.open(annex["path"], "rb") as handle:
            stored = handle.read()
        response = client.get(f"/rapporten/{YEAR}/bijlage/transacties.{fmt}")
        assert response.status_code == 200
        assert _body(response) == stored
        assert response["Content-Type"] == content_type
        assert response["Content-Length"] == str(len(stored))
        assert response["Content-Disposition"] == (
            f'inline; filename="jaarverslag-{YEAR}-v1-bijlage-transacties.{fmt}"'
        )
        assert response["ETag"] == f'"{annex["sha256"]}"'
        assert response["X-Checksum-SHA256"] == annex["sha256"]


# --- manage.py verify_reports -------------------------------------------------------------------


def test_the_command_passes_on_untouched_files(report, capsys):
    call_command("verify_reports")
    out, err = capsys.readouterr()
    files = 1 + len(report.snapshot["annex"]["files"])
    assert f"1 reports, {files} files checked, 0 missing or different" in out
    assert err == ""


def test_the_command_finds_a_swapped_and_a_missing_file(report, capsys):
    _overwrite(report.pdf.name, FORGED_PDF)
    missing = _annex(report, fmt="json")["path"]
    os.remove(default_storage.path(missing))
    with pytest.raises(CommandError):  # manage.py exits with 1
        call_command("verify_reports")
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert any(report.pdf.name in line and report.sha256 in line for line in lines)
    assert any(missing in line and "missing" in line for line in lines)
    assert "2 missing or different" in out


# --- the daily task -----------------------------------------------------------------------------


def test_the_daily_task_logs_an_error_per_file(report, caplog):
    _overwrite(_annex(report)["path"], FORGED_CSV)
    with caplog.at_level(logging.ERROR, logger="reports.tasks"):
        assert tasks.verify_reports.apply().get() == 1
    logged = [r for r in caplog.records if r.name == "reports.tasks"]
    assert len(logged) == 1 and logged[0].levelno == logging.ERROR
    assert _annex(report)["path"] in logged[0].getMessage()


def test_the_daily_task_is_scheduled_and_runs_without_a_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["verify-reports"]
    assert entry["task"] == "reports.verify_reports"
    cache.clear()
    try:
        for moment, due in (
            (datetime(2026, 3, 2, 3, 0), False),
            (datetime(2026, 3, 3, 5, 0), True),
        ):
            moment = moment.replace(tzinfo=AMSTERDAM)
            with freeze_time(moment):
                assert ("verify-reports" in beatless.due_entries(moment)) is due
    finally:
        cache.clear()
