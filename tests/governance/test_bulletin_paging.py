"""The bulletin page of a sealed poll shows a page of tracking codes, or the one a voter searches
for; its recount is still of every ballot (counted by the database), and the CSV and JSON
downloads still hold every ballot (issue 16)."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance import sealing, selectors
from governance.bulletin import recount
from governance.models import Ballot, Choice, Participation, Proposal
from governance.views.voting import BULLETIN_PAGE_SIZE
from tests.query_counts.base import MAX_QUERIES
from tests.query_counts.community import _poll, _residents

from .factories import count_poll

pytestmark = [
    pytest.mark.django_db,
    # Ballots and participations written straight into a counted poll (tests/at_commit.py).
    pytest.mark.rolled_back_only,
]

CYCLE = (Choice.FOR, Choice.FOR, Choice.AGAINST, Choice.ABSTAIN)


def _code(i: int) -> str:
    return f"AB{i:02}-CDEF-GH{i:02}"


def _counted_poll(n: int, civil_servant, area, code=_code) -> Proposal:
    """A counted poll whose ballot box holds `n` ballots (for, for, against, abstain, ...) with
    a participation each; `code(i)` is the tracking code of the i-th."""
    ctx = {"area": area, "civil_servant": civil_servant}
    people = _residents(n, ctx)
    proposal = _poll(ctx)
    count_poll(proposal)
    Participation.objects.bulk_create(Participation(proposal=proposal, user=p) for p in people)
    Ballot.objects.bulk_create(
        Ballot(proposal=proposal, choice=CYCLE[i % 4], tracking_code=code(i)) for i in range(n)
    )
    return proposal


def _search(client, url, code):
    """The bulletin's search form sent (a POST: no code in any address or log)."""
    client.post(url, {"code": code})  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"code": code})
    assert response.status_code == 200
    return response, response.content.decode(), len(queries)


def _get(client, url, params=None):
    client.get(url, params or {})  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response, response.content.decode(), len(queries)


def test_ten_ballots_are_one_page(client, civil_servant, area):
    proposal = _counted_poll(10, civil_servant, area)
    _response, html, _n = _get(client, f"/voorstellen/{proposal.pk}/stembiljetten/")
    assert html.count('data-testid="ballot"') == 10 and 'rel="next"' not in html


def test_the_page_shows_fifty_codes_and_recounts_every_ballot(client, civil_servant, area):
    n = BULLETIN_PAGE_SIZE + 10
    proposal = _counted_poll(n, civil_servant, area)
    url = f"/voorstellen/{proposal.pk}/stembiljetten/"
    first, html, first_queries = _get(client, url, {"taal": "x"})
    assert html.count('data-testid="ballot"') == BULLETIN_PAGE_SIZE
    assert "AB00-CDEF-GH00" in html and "AB50-CDEF-GH50" not in html
    assert 'href="?taal=x&amp;page=2"' in html  # the rest of the query string is kept
    second, html, second_queries = _get(client, url, {"taal": "x", "page": 2})
    assert html.count('data-testid="ballot"') == 10 and "AB59-CDEF-GH59" in html
    assert first_queries == second_queries <= MAX_QUERIES
    # the page's recount is of all 60 ballots, the same as the recount of the whole list
    full = recount(selectors.bulletin(proposal))
    for response in (first, second):
        shown = response.context["recount"]
        assert shown == full
        assert (shown.codes, shown.participations) == (n, n)
        assert (shown.result.voor, shown.result.tegen, shown.result.onthouding) == (30, 15, 15)
    # the downloads keep every ballot
    rows = list(csv.reader(io.StringIO(client.get(f"{url[:-1]}.csv").content.decode())))
    assert len(rows) == n + 1 and rows[0] == ["code", "choice"]
    assert len(client.get(f"{url[:-1]}.json").json()["ballots"]) == n


def test_a_voter_finds_their_own_code_on_one_page(client, civil_servant, area):
    proposal = _counted_poll(BULLETIN_PAGE_SIZE + 10, civil_servant, area)
    url = f"/voorstellen/{proposal.pk}/stembiljetten/"
    # typed in small letters with spaces around it: still the exact code
    response, html, queries = _search(client, url, "  ab57-cdef-gh57 ")
    assert [row["tracking_code"] for row in response.context["page"]] == ["AB57-CDEF-GH57"]
    assert html.count('data-testid="ballot"') == 1 and 'data-testid="code-result"' in html
    assert "Uw code staat in de lijst" in html
    assert queries <= MAX_QUERIES
    # the recount above the search is still of every ballot
    assert response.context["recount"].codes == BULLETIN_PAGE_SIZE + 10
    # part of a code is no match (exact only)
    _response, html, _n = _search(client, url, "AB57")
    assert html.count('data-testid="ballot"') == 0 and "Geen stembiljet heeft deze code" in html


@pytest.mark.parametrize(
    "asked",
    ["ZZZZ-ZZZZ-ZZZZ", "' OR 1=1 --", "x" * 5000, "\x00", "%00", "AB00\x00", "é€😀", "<b>", "-"],
)
def test_any_search_text_gives_a_page_without_a_server_error(client, civil_servant, area, asked):
    proposal = _counted_poll(3, civil_servant, area)
    response = client.post(f"/voorstellen/{proposal.pk}/stembiljetten/", {"code": asked})
    # a NUL is refused before the page with the site's 400 page; a long text is no code
    assert response.status_code == (400 if "\x00" in asked else 200)
    html = response.content.decode()
    assert html.count('data-testid="ballot"') == 0 and "<b>" not in html.split("<main")[-1]


def test_a_real_code_typed_without_its_dashes_is_found(client, civil_servant, area):
    code = sealing.new_tracking_code()  # e.g. 7KQ2-M9XD-4HTA, as the receipt shows it
    proposal = _counted_poll(3, civil_servant, area, lambda i: code if i == 1 else _code(i))
    url = f"/voorstellen/{proposal.pk}/stembiljetten/"
    response = client.post(url, {"code": code.replace("-", "").lower()})
    assert [row["tracking_code"] for row in response.context["page"]] == [code]


def test_a_search_with_several_values_or_an_empty_one(client, civil_servant, area):
    proposal = _counted_poll(3, civil_servant, area)
    url = f"/voorstellen/{proposal.pk}/stembiljetten/"
    form = "application/x-www-form-urlencoded"
    response = client.post(url, "code=nee&code=ab01-cdef-gh01", content_type=form)  # the last
    assert [row["tracking_code"] for row in response.context["page"]] == ["AB01-CDEF-GH01"]
    response = client.post(url, {"code": "  "})  # nothing asked: every code
    assert len(response.context["page"]) == 3 and not response.context["searched"]


def test_a_code_is_searched_for_in_the_form_never_in_the_address_or_the_log(
    client, civil_servant, area, caplog
):
    """A code in the address went into the request log beside the voter's account and address
    (and into gunicorn's and a proxy's access log), and the bulletin tells the code's choice."""
    proposal = _counted_poll(3, civil_servant, area)
    url = f"/voorstellen/{proposal.pk}/stembiljetten/"
    html = client.get(url).content.decode()
    assert f'<form method="post" action="{url}"' in html and "csrfmiddlewaretoken" in html
    with caplog.at_level("INFO"):
        response = client.post(url, {"code": "AB01-CDEF-GH01"})
    assert [row["tracking_code"] for row in response.context["page"]] == ["AB01-CDEF-GH01"]
    logged = [record.getMessage() for record in caplog.records]
    assert any(url in line for line in logged)  # the request is logged, its form is not
    assert not any("AB01" in line for line in logged), logged
    # an address with a code (an old link) lists every code and searches nothing
    response = client.get(url, {"code": "AB01-CDEF-GH01"})
    assert not response.context["searched"] and len(response.context["page"]) == 3
    # the downloads are read, not searched
    assert client.post(f"{url[:-1]}.csv", {"code": "AB01-CDEF-GH01"}).status_code == 405
