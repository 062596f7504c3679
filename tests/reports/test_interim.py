"""A report for a year that has not ended is an interim report, and says so everywhere."""

import datetime
from io import BytesIO

import pytest
from freezegun import freeze_time
from pypdf import PdfReader

from reports.models import AnnualReport
from sroi import services as sroi_services
from tests.sroi.factories import make_fund

pytestmark = pytest.mark.django_db

INTERIM_NL = "Verslag 2026 – tussenstand tot 30 november 2026"
INTERIM_EN = "Report 2026 – interim, up to 30 November 2026"


def pdf_text(report: AnnualReport) -> tuple[str, str]:
    with report.pdf.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    return reader.metadata.title, "\n".join(page.extract_text() for page in reader.pages)


def request_through_the_archive(client, civil_servant, capture, year, languages=("nl",)):
    client.force_login(civil_servant)
    with capture(execute=True):
        response = client.post(
            "/rapporten/aanvragen/", {"year": year, "languages": list(languages)}
        )
    assert response.status_code == 302
    client.logout()


@freeze_time("2026-11-30 14:00")
def test_a_report_for_the_running_year_is_an_interim_report(
    client, civil_servant, django_capture_on_commit_callbacks
):
    # given a fund with money in the running year
    fund = make_fund()
    sroi_services.record_other_income(
        fund=fund,
        amount="500.00",
        date=datetime.date(2026, 3, 1),
        description="Aanvulling",
        actor=civil_servant,
    )
    # when a civil servant makes the 2026 report on 30 November (and the 2025 one)
    request_through_the_archive(
        client, civil_servant, django_capture_on_commit_callbacks, 2026, ("nl", "en")
    )
    request_through_the_archive(client, civil_servant, django_capture_on_commit_callbacks, 2025)

    # then it is marked interim, up to that day
    report = AnnualReport.objects.get(year=2026, language="nl")
    assert report.status == AnnualReport.Status.DONE
    assert (report.interim, report.as_of) == (True, datetime.date(2026, 11, 30))
    assert not AnnualReport.objects.get(year=2025).interim

    # the archive does not list it as the annual report of 2026, but as an interim report
    html = client.get("/rapporten/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    published = html.split('data-testid="interim-reports"')[0]
    assert '<th class="utrecht-table__header-cell" scope="row">2025</th>' in published
    assert '<th class="utrecht-table__header-cell" scope="row">2026</th>' not in published
    assert "2026: tussenstand tot 30 november 2026" in html

    # its page says interim and never "Op 31 december"
    page = client.get("/rapporten/2026/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert f'<h1 class="utrecht-heading-1">{INTERIM_NL}' in page
    assert "Dit is een tussenstand" in page
    assert "31 december" not in page.split("Het jaarverslag komt na 31 december")[1]
    assert "Op 30 november 2026 stond" in page or "Op 30 november 2026 hadden" in page
    # nor "at the end of the year", nor calls itself the annual report
    assert "Van de €\xa0500,00 op 30 november 2026 is €\xa00,00 toegekend" in page
    assert "eind van het jaar" not in page and "Dit jaarverslag" not in page

    # and so does its PDF, in Dutch and in English
    title, text = pdf_text(report)
    assert title.startswith(INTERIM_NL)
    assert "Op 31 december" not in text and "eind van het jaar" not in text
    title, text = pdf_text(AnnualReport.objects.get(year=2026, language="en"))
    assert title.startswith(INTERIM_EN)
    assert "On 31 December" not in text and "end of the year" not in text


@freeze_time("2026-11-30 14:00")
def test_the_interim_figures_run_up_to_today(civil_servant):
    fund = make_fund()
    sroi_services.record_other_income(
        fund=fund,
        amount="500.00",
        date=datetime.date(2026, 3, 1),
        description="Aanvulling",
        actor=civil_servant,
    )
    from reports.content import annual_report_content
    from reports.snapshot import dump

    content = dump(annual_report_content(year=2026))
    assert content["interim"] is True and content["as_of"] == "2026-11-30"
    assert content["funds"][0]["closing"] == "500.00"
    assert dump(annual_report_content(year=2025))["interim"] is False


def test_after_the_year_ends_the_annual_report_replaces_the_interim_one(
    client, civil_servant, django_capture_on_commit_callbacks
):
    with freeze_time("2026-11-30 14:00"):
        request_through_the_archive(client, civil_servant, django_capture_on_commit_callbacks, 2026)
    with freeze_time("2027-01-02 08:00"):
        request_through_the_archive(client, civil_servant, django_capture_on_commit_callbacks, 2026)
        html = client.get("/rapporten/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        page = client.get("/rapporten/2026/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<th class="utrecht-table__header-cell" scope="row">2026</th>' in html
    assert 'data-testid="interim-reports"' not in html
    # the page is the annual report; only its list of versions names the interim one it replaced
    report_part, versions = page.split('data-testid="versions"')
    assert '<h1 class="utrecht-heading-1">Jaarverslag 2026' in page
    assert "tussenstand" not in report_part and 'data-testid="interim"' not in page
    assert "vervangen door een nieuwere versie (tussenstand)" in " ".join(versions.split())
    final = AnnualReport.objects.get(year=2026, is_current=True)
    assert (final.version, final.interim) == (2, False)
