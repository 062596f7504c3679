"""The year page speaks the language of the report it shows: its words, its figures and its
checksums are of one report (a Dutch page showed the English report's checksums with
`?taal=en`, and the other way round)."""

import pytest
from django.utils import timezone

from reports.models import AnnualReport
from tests.reports.frozen import v1

pytestmark = pytest.mark.django_db


def _report(language: str, sha: str, pages: int | None = 16) -> AnnualReport:
    return AnnualReport.objects.create(
        year=2025,
        language=language,
        version=1,
        status=AnnualReport.Status.DONE,
        is_current=True,
        sha256=sha * 64,
        pages=pages,
        size=100_000,
        snapshot=v1(),
        finished_at=timezone.now(),
    )


@pytest.fixture
def both():
    return _report("nl", "a"), _report("en", "b")


def _lang(page: str) -> str:
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("interface", "asked", "shown", "heading"),
    [
        ("nl", "en", "en", "Annual report 2025"),
        ("en", "nl", "nl", "Jaarverslag 2025"),
        ("nl", "", "nl", "Jaarverslag 2025"),
        ("en", "", "en", "Annual report 2025"),
    ],
)
def test_the_year_page_is_in_the_language_of_the_report_it_shows(
    client, both, interface, asked, shown, heading
):
    # given a Dutch and an English report of 2025, and a visitor whose site language is `interface`
    client.cookies["django_language"] = interface
    # when they open the year page, asking for the report in `asked` (or not asking)
    response = client.get("/rapporten/2025/" + (f"?taal={asked}" if asked else ""))
    page = response.content.decode()
    # then the page, its words and its checksums are all of the report in `shown`
    report = next(r for r in both if r.language == shown)
    other = next(r for r in both if r.language != shown)
    assert response.status_code == 200
    assert _lang(page) == shown
    assert response["Content-Language"] == shown
    assert f'<h1 class="utrecht-heading-1">{heading}' in page
    assert report.sha256 in page
    assert other.sha256 not in page
    assert f"?taal={shown}" in page.split('href="/rapporten/2025.pdf', 1)[1][:12]


def test_the_dutch_report_is_shown_in_dutch_when_there_is_no_english_one(client):
    # given only a Dutch report
    dutch = _report("nl", "a")
    client.cookies["django_language"] = "en"
    # when an English visitor asks for the English one
    page = client.get("/rapporten/2025/?taal=en").content.decode()
    # then they get the Dutch report, in Dutch, not Dutch figures under English words
    assert _lang(page) == "nl"
    assert "Jaarverslag 2025" in page
    assert dutch.sha256 in page


def test_switching_the_language_on_the_year_page_leads_to_the_report_in_that_language(client, both):
    client.cookies["django_language"] = "nl"
    page = client.get("/rapporten/2025/?taal=en&gebied=").content.decode()
    form = page.split('action="/i18n/setlang/"', 1)[1].split("</form>", 1)[0]
    assert 'name="next" type="hidden" value="/rapporten/2025/?gebied="' in form
    page = client.get("/rapporten/2025/?taal=en").content.decode()
    form = page.split('action="/i18n/setlang/"', 1)[1].split("</form>", 1)[0]
    assert 'name="next" type="hidden" value="/rapporten/2025/"' in form


@pytest.mark.parametrize("interface", ["nl", "en"])
def test_the_archive_lists_the_visitors_language_first(client, both, interface):
    # given a Dutch and an English report of 2025, and a visitor whose site language is `interface`
    client.cookies["django_language"] = interface
    # when they open the archive
    page = client.get("/rapporten/").content.decode()
    # then the year's report in their language is the first row, the other the second
    first, second = (r for r in sorted(both, key=lambda r: r.language != interface))
    assert page.index(first.sha256) < page.index(second.sha256)
    # the link's underline ends with its word: the year for screen readers is inside the link
    assert '>PDF<span class="bk-visually-hidden"> 2025</span></a>' in page


def test_the_archive_shows_a_report_without_a_page_count(client):
    # given a published report whose page count is unknown (the field may be empty)
    report = _report("nl", "a", pages=None)
    # then the archive still lists it, with its size and version
    page = client.get("/rapporten/").content.decode()
    assert report.sha256 in page and "v1)" in page
