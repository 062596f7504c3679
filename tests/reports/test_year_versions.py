"""The public year page lists every published version of its report (date, status, SHA-256 of
the PDF), the replaced ones too, in a fixed number of queries; and a closed year takes no outcome
number, also when a later year was closed (insider review 2026-12-05, R3). Before, the page showed
only the current version: nothing said that the figures had been replaced, or by what."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import rendering, services
from reports.models import AnnualReport, Outcome
from sroi import services as sroi_services
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import funded

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture(autouse=True)
def _cheap_pdf(monkeypatch):
    """A stand-in PDF, different per build: WeasyPrint is not what is tested here."""

    def fake(content, *, language):
        from reports.snapshot import dump  # noqa: PLC0415 - only the stand-in needs it

        return b"%PDF-1.4 stand-in\n" + json.dumps(dump(content), default=str).encode(), 1

    monkeypatch.setattr(rendering, "render_pdf", fake)


def _build(language: str = "nl") -> AnnualReport:
    report = services.request_report(year=YEAR, language=language, dispatch=False, actor=None)
    return services.build_report(report_id=report.pk)


def _page_and_queries(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/rapporten/{YEAR}/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_year_page_lists_every_version_with_its_date_status_and_checksum(client):
    funded("1000.00")
    first, second = _build(), _build()
    _build("en")  # another language: a report of its own, with its own versions
    page, _queries = _page_and_queries(client)
    assert page.count('data-testid="version"') == 2
    assert f"/rapporten/{YEAR}/nl/v1.pdf" in page and f"/rapporten/{YEAR}/nl/v2.pdf" in page
    assert first.sha256 in page and second.sha256 in page
    assert "vervangen door een nieuwere versie" in page and "huidige versie" in page
    assert page.index(second.sha256) < page.index(first.sha256)  # newest first
    # the replaced version is still served, as published
    old = client.get(f"/rapporten/{YEAR}/nl/v1.pdf")
    assert old.status_code == 200 and old["X-Checksum-SHA256"] == first.sha256


def test_the_year_page_reads_its_versions_in_a_fixed_number_of_queries(client):
    funded("1000.00")
    reports = [_build()]
    _page, one = _page_and_queries(client)
    reports += [_build() for _ in range(3)]
    page, four = _page_and_queries(client)
    assert all(report.sha256 in page for report in reports)
    assert four == one


def test_no_outcome_number_is_recorded_for_a_year_before_a_closed_one(civil_servant):
    # closing a year closes the years before it: their reports rest on it
    sroi_services.close_year(year=YEAR, reason="Jaarrekening gecontroleerd", actor=civil_servant)
    with pytest.raises(ValidationError) as raised:
        services.record_outcome(
            initiative=InitiativeFactory(name="Huiswerkklas Gein"),
            year=YEAR - 1,
            indicator=Outcome.Indicator.SCHOOL,
            value=17,
            source="Telling achteraf",
            actor=civil_servant,
        )
    assert raised.value.code == "closed_year"
    assert not Outcome.objects.exists()
