"""A round's page shows a page of its plans (`?plannen=`) and of its outcome (`?uitkomst=`), with
what was paid for summed up over all of them; the ballot still shows every plan (issue 16)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgeting.models import Round
from budgeting.views import OUTCOME_PAGE_SIZE, PLAN_PAGE_SIZE
from tests.budgeting.factories import round_in
from tests.budgeting.test_queries import _computed
from tests.query_counts.base import MAX_QUERIES

pytestmark = pytest.mark.django_db

MANY = OUTCOME_PAGE_SIZE + 5  # more than a page of plans and of outcome rows


def _get(client, url, params=None):
    client.get(url, params or {})  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response, response.content.decode(), len(queries)


def test_ten_plans_are_one_page(client, area, civil_servant, community_member):
    round = round_in(Round.Status.VOTING, area=area, civil_servant=civil_servant,
                     author=community_member, costs=[100] * 10)  # fmt: skip
    _response, html, _n = _get(client, round.get_absolute_url())
    assert html.count('data-testid="plan"') == 10 and 'rel="next"' not in html


def test_a_computed_round_pages_its_plans_and_its_outcome(
    client, area, civil_servant, community_member
):
    round = _computed(area, civil_servant, community_member, MANY, 10, "groot")
    funded = len(round.outcome["mes"])
    assert 0 < funded < MANY
    client.force_login(community_member)
    url = round.get_absolute_url()
    first, html, first_queries = _get(client, url)
    assert html.count('data-testid="plan"') == PLAN_PAGE_SIZE
    assert html.count('data-testid="result"') == OUTCOME_PAGE_SIZE
    assert f"Gekozen: {funded} van de {MANY} plannen op het stembiljet." in html
    assert 'href="?plannen=2#plannen"' in html and 'href="?uitkomst=2#uitkomst"' in html
    # each list's next page keeps the other's page
    # the outcome lists what is paid for first, then the rest, each by number
    paid = sorted(round.outcome["mes"])
    rest = [n for n in range(1, MANY + 1) if n not in paid]
    assert [r.number for r in first.context["results"]] == (paid + rest)[:OUTCOME_PAGE_SIZE]
    second, html, second_queries = _get(client, url, {"plannen": 2, "uitkomst": 2})
    assert html.count('data-testid="plan"') == MANY - PLAN_PAGE_SIZE
    assert [r.number for r in second.context["results"]] == (paid + rest)[OUTCOME_PAGE_SIZE:]
    assert 'href="?plannen=1&amp;uitkomst=2#plannen"' in html
    assert 'href="?plannen=2&amp;uitkomst=1#uitkomst"' in html
    assert first_queries == second_queries <= MAX_QUERIES
    # what a plan on page 2 shows is what the outcome says of it
    last = second.context["results"][-1]
    assert last.votes == round.outcome["votes"].get(str(last.number), 0)
    assert last.equal_shares == (last.number in round.outcome["mes"])


# A computed round's outcome rewritten by SQL (tests/at_commit.py).
@pytest.mark.rolled_back_only
def test_the_plans_paid_for_come_first_in_the_outcome_however_high_their_numbers(
    client, area, civil_servant, community_member
):
    # given a computed round whose plans paid for have numbers past the first page
    round = _computed(area, civil_servant, community_member, MANY, 10, "groot")
    late = list(range(MANY - 2, MANY + 1))
    outcome = {**round.outcome, "mes": late}
    Round.objects.filter(pk=round.pk).update(outcome=outcome)
    # when anyone opens the round's first page
    response, html, _queries = _get(client, round.get_absolute_url())
    # then the table starts with them, marked as paid for
    results = response.context["results"]
    assert [r.number for r in results[:3]] == late
    assert all(r.equal_shares for r in results[:3]) and not any(r.equal_shares for r in results[3:])
    assert "Gekozen: 3 van de" in html


def test_the_ballot_still_shows_every_plan(client, area, civil_servant, community_member):
    round = round_in(Round.Status.VOTING, area=area, civil_servant=civil_servant,
                     author=community_member, costs=[100] * MANY)  # fmt: skip
    client.force_login(community_member)
    response = client.get(f"/begroting/{round.pk}/stemmen/")
    assert response.status_code == 200
    assert len(response.context["plans"]) == MANY
    # while the round page shows a page of them, and the member may vote
    response, html, queries = _get(client, round.get_absolute_url())
    assert html.count('data-testid="plan"') == PLAN_PAGE_SIZE and queries <= MAX_QUERIES
    assert f"/begroting/{round.pk}/stemmen/" in html and not response.context["has_voted"]
