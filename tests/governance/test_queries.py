"""The proposal list and the proposal page keep a fixed number of queries."""

import pytest

from governance import services
from governance.models import Choice, Comment, Proposal, Side, Vote
from tests.accounts.factories import AreaFactory, UserFactory

from .factories import board, decided, voting

pytestmark = pytest.mark.django_db


def make_proposals(count: int, body) -> None:
    areas = [AreaFactory(slug=f"q-{i}") for i in range(3)]
    Proposal.objects.bulk_create(
        Proposal(title=f"Voorstel {i:04}", text="t", body=body, status=Proposal.Status.DISCUSSION)
        for i in range(count)
    )
    through = Proposal.areas.through
    through.objects.bulk_create(
        through(proposal_id=pk, area_id=areas[pk % 3].pk)
        for pk in Proposal.objects.values_list("pk", flat=True)
    )


@pytest.fixture
def decided_board():
    body, voters = board(community=3, institution=2)
    proposal = decided(voting(body=body), dict.fromkeys(voters[Side.COMMUNITY], Choice.FOR))
    return body, proposal


@pytest.mark.parametrize("count", [10, 1000])
def test_list_query_count_is_constant(client, decided_board, count, django_assert_max_num_queries):
    body, _proposal = decided_board
    make_proposals(count, body)
    with django_assert_max_num_queries(8):
        response = client.get("/voorstellen/")
    assert response.status_code == 200


# Votes bulk-written into a decided proposal (tests/at_commit.py).
@pytest.mark.rolled_back_only
@pytest.mark.parametrize("count", [10, 1000])
def test_proposal_page_query_count_is_constant(
    client, decided_board, community_member, count, django_assert_max_num_queries
):
    body, proposal = decided_board
    make_proposals(count, body)
    users = [UserFactory() for _ in range(count // 100 + 2)]
    Comment.objects.bulk_create(
        Comment(proposal=proposal, author=users[i % len(users)], text="x") for i in range(count)
    )
    Vote.objects.bulk_create(
        Vote(proposal=proposal, user=user, side="community", choice=Choice.FOR) for user in users
    )
    with django_assert_max_num_queries(10):
        assert client.get(proposal.get_absolute_url()).status_code == 200
    client.force_login(community_member)
    with django_assert_max_num_queries(14):
        assert client.get(proposal.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [10, 1000])
def test_open_vote_page_for_a_voter_is_constant(
    client, community_member, count, django_assert_max_num_queries
):
    body, _voters = board(members=[community_member], community=2, institution=1)
    proposal = voting(body=body)
    services.cast_vote(proposal=proposal, choice=Choice.FOR, actor=community_member)
    make_proposals(count, body)
    client.force_login(community_member)
    with django_assert_max_num_queries(16):
        assert client.get(proposal.get_absolute_url()).status_code == 200
