"""/api/v1/stembiljetten: the public bulletins of counted sealed polls, the same as the bulletin
page and its JSON download, paged, in a constant number of queries, and read-only for everyone."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services as account_services
from governance import sealing, selectors, services
from governance.bulletin import recount
from governance.models import Ballot, Choice, Decision, Participation, Proposal
from tests.accounts.factories import UserFactory
from tests.clock import at_closing
from tests.governance.factories import board, count_poll, poll, voting
from tests.roles import ACCOUNT_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # throttling counts live in the cache
    yield
    cache.clear()


@pytest.fixture
def trustees():
    _body, voters = board(community=3, institution=0)
    return voters["community"]


@pytest.fixture
def counted(area, community_member, youth_member, trustees):
    """A counted poll with two ballots, and the codes the voters got as receipts."""
    proposal = poll(areas=[area], title="Speeltuin aan het plein")
    codes = {
        services.cast_vote(
            proposal=proposal, choice=Choice.FOR, actor=community_member
        ): Choice.FOR,
        services.cast_vote(
            proposal=proposal, choice=Choice.AGAINST, actor=youth_member
        ): Choice.AGAINST,
    }
    count_poll(proposal)
    proposal.refresh_from_db()
    return proposal, codes


def get(client, path: str, **params):
    response = client.get(path, params)
    assert response["API-Version"] == "1.0.0"
    return response


def counted_polls(area, voters, count: int, *, hide: bool = False) -> list[Proposal]:
    made = []
    for i in range(count):
        proposal = poll(areas=[area], title=f"Peiling {i}", bulletin_hides_choices=hide)
        for voter in voters:
            services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=voter)
        count_poll(proposal)
        made.append(proposal)
    return made


def test_the_list_shows_counted_polls_with_the_numbers_to_check_them(
    client, counted, area, community_member, youth_member
):
    proposal, codes = counted
    poll(areas=[area], title="Nog open")  # voting: no bulletin yet
    counting = poll(areas=[area], title="Wordt geteld")
    services.cast_vote(proposal=counting, choice=Choice.FOR, actor=community_member)
    with at_closing(counting.closes_at, tick=True):
        services.close_voting(actor=None, proposal=counting)  # waiting for the keys
    voting(title="Bestuursstemming")  # a roll-call board vote has no bulletin

    response = get(client, "/api/v1/stembiljetten")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (row,) = body["results"]
    decision = Decision.objects.get(proposal=proposal)
    assert row["voorstel"] == proposal.pk
    assert row["titel"] == "Speeltuin aan het plein"
    assert row["besluit"] == decision.reference
    assert row["uitkomst"] == decision.outcome
    assert row["keuzes_openbaar"] is True
    assert row["stembiljetten"] == 2 == row["deelnames"]
    assert row["deelnames_per_kanaal"] == {"online": 2}
    assert row["kiesregister_omvang"] == 2
    assert row["kiesregister_sha256"] == sealing.roll_digest([community_member.pk, youth_member.pk])
    assert row["url"] == f"http://testserver/api/v1/stembiljetten/{proposal.pk}"
    assert row["codes"] == f"http://testserver/api/v1/stembiljetten/{proposal.pk}/codes"
    assert row["pagina"] == f"http://testserver/voorstellen/{proposal.pk}/stembiljetten/"
    # Numbers, no voters.
    text = response.content.decode()
    assert community_member.username not in text and youth_member.username not in text


def test_the_detail_is_the_published_bulletin_and_recounts_to_the_decision(client, counted):
    proposal, codes = counted
    data = get(client, f"/api/v1/stembiljetten/{proposal.pk}").json()
    assert [(b["code"], b["keuze"]) for b in data["biljetten"]] == sorted(codes.items())
    published = selectors.bulletin(proposal)
    assert [(b["code"], b["choice"]) for b in published["ballots"]] == [
        (b["code"], b["keuze"]) for b in data["biljetten"]
    ]
    assert data["regel"] == proposal.rule_snapshot
    assert data["telling"] == proposal.decision.tally
    # Anyone can recount it from the API alone, as from the JSON download.
    result = recount(
        {
            "ballots": [{"code": b["code"], "choice": b["keuze"]} for b in data["biljetten"]],
            "participations": data["deelnames"],
            "roll_size": data["kiesregister_omvang"],
            "rule": data["regel"],
            "decision": data["telling"],
            "choices_published": data["keuzes_openbaar"],
        }
    )
    assert result.matches_decision and result.codes_match_participations


def test_a_poll_that_hides_choices_shows_codes_only(client, area, community_member, youth_member):
    board(community=3, institution=0)
    (proposal,) = counted_polls(area, [community_member, youth_member], 1, hide=True)
    row = get(client, "/api/v1/stembiljetten").json()["results"][0]
    assert row["keuzes_openbaar"] is False
    data = get(client, f"/api/v1/stembiljetten/{proposal.pk}").json()
    assert len(data["biljetten"]) == 2
    assert all(b["keuze"] is None for b in data["biljetten"])
    assert [b["code"] for b in data["biljetten"]] == sorted(b["code"] for b in data["biljetten"])
    page = get(client, f"/api/v1/stembiljetten/{proposal.pk}/codes").json()
    assert all(b["keuze"] is None for b in page["results"])
    assert (
        Choice.FOR not in get(client, f"/api/v1/stembiljetten/{proposal.pk}/codes").content.decode()
    )


def test_the_codes_are_paged_in_the_bulletins_order(client, counted):
    proposal, codes = counted
    first = get(client, f"/api/v1/stembiljetten/{proposal.pk}/codes", pageSize=1).json()
    assert first["count"] == 2 and first["previous"] is None
    assert first["next"].endswith("page=2&pageSize=1")
    second = get(client, first["next"].replace("http://testserver", "")).json()
    assert second["next"] is None
    paged = first["results"] + second["results"]
    assert [(b["code"], b["keuze"]) for b in paged] == sorted(codes.items())


def test_unknown_and_uncounted_polls_are_problem_details(client, area, community_member):
    board(community=3, institution=0)
    open_poll = poll(areas=[area])
    board_vote = voting()
    for pk in (open_poll.pk, board_vote.pk, 999999):
        for suffix in ("", "/codes"):
            response = get(client, f"/api/v1/stembiljetten/{pk}{suffix}")
            assert response.status_code == 404
            assert response["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/stembiljetten/abc").status_code == 404  # no such route
    assert get(client, "/api/v1/stembiljetten", page=9).status_code == 404


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_list_takes_the_same_queries_for_one_or_many_polls(
    client, area, community_member, youth_member, trustees
):
    voters = [community_member, youth_member]
    counted_polls(area, voters, 1)
    one = _queries(client, "/api/v1/stembiljetten")
    cache.clear()
    counted_polls(area, voters, 3)
    assert _queries(client, "/api/v1/stembiljetten") == one


def test_the_detail_and_codes_take_the_same_queries_for_few_or_many_ballots(
    client, area, community_member, youth_member, trustees, civil_servant
):
    (few,) = counted_polls(area, [community_member], 1)
    more = [community_member, youth_member]
    for i in range(4):
        member = UserFactory(username=f"kiezer{i}")
        account_services.verify_member(user=member, area=area, actor=civil_servant)
        more.append(member)
    (many,) = counted_polls(area, more, 1)
    assert Ballot.objects.filter(proposal=many).count() == 6
    for suffix in ("", "/codes"):
        cache.clear()
        small = _queries(client, f"/api/v1/stembiljetten/{few.pk}{suffix}")
        large = _queries(client, f"/api/v1/stembiljetten/{many.pk}{suffix}")
        assert small == large, suffix


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_every_role_reads_the_same_and_nobody_writes(client, counted, user_for_role, role):
    proposal, _codes = counted
    anonymous = get(client, f"/api/v1/stembiljetten/{proposal.pk}").json()
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    paths = [
        "/api/v1/stembiljetten",
        f"/api/v1/stembiljetten/{proposal.pk}",
        f"/api/v1/stembiljetten/{proposal.pk}/codes",
    ]
    assert get(client, paths[1]).json() == anonymous
    before = (Ballot.objects.count(), Participation.objects.count(), Decision.objects.count())
    for path in paths:
        assert get(client, path).status_code == 200
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(path, {}, content_type="application/json")
            assert response.status_code == 405, (method, path)
    after = (Ballot.objects.count(), Participation.objects.count(), Decision.objects.count())
    assert after == before
