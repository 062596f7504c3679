"""Who may open which proposal page and do which action: role × view × expected status."""

import pytest
from django.urls import reverse

from governance.models import Choice, Comment, Participation, Proposal, SealedBallot, Side, Vote
from sroi.models import Allocation
from tests.roles import ACCOUNT_ROLES, STAFF, is_denied, login_as

from .factories import allocation_fields, board, decided, draft, in_discussion, poll, voting

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(user_for_role, area):
    # The community member holds a community seat on the board; the youth council member does
    # not. Both are verified in `area`, so both are on the roll of the poll.
    body, voters = board(members=[user_for_role("community_member")])
    adopted_vote = voting(body=body)
    adopted = decided(adopted_vote, dict.fromkeys(voters[Side.COMMUNITY], Choice.FOR))
    allocation_vote = voting(body=body, **allocation_fields("400.00"))
    adopted_allocation = decided(allocation_vote, dict.fromkeys(voters[Side.COMMUNITY], Choice.FOR))
    return {
        "draft": draft(body=body),
        "discussion": in_discussion(body=body),
        "board_vote": voting(body=body),
        "poll": poll(areas=[area]),
        "adopted": adopted,
        "adopted_allocation": adopted_allocation,
    }


def _url(name, target, objects):
    if target is None:
        return reverse(name)
    return reverse(name, args=[objects[target].pk])


EVERYONE = set(ACCOUNT_ROLES)
GET_PAGES = [
    ("governance:list", None, EVERYONE),
    ("governance:detail", "discussion", EVERYONE),
    ("governance:detail", "board_vote", EVERYONE),
    ("governance:detail", "poll", EVERYONE),
    ("governance:detail", "adopted", EVERYONE),
    ("governance:detail", "adopted_allocation", EVERYONE),
    ("governance:detail", "draft", STAFF),
    ("governance:create", None, {"civil_servant"}),
    ("governance:edit", "draft", {"civil_servant"}),
    ("governance:edit", "discussion", {"civil_servant"}),
    ("governance:open_voting", "discussion", {"civil_servant"}),
    ("governance:withdraw", "discussion", {"civil_servant"}),
    # public: the bodies, their seats and the members a public roll-call names (finding 14)
    ("governance:bodies", None, EVERYONE),
    # the ballot page: the roll of the poll, the seat holder in the board
    ("governance:vote", "poll", {"community_member", "youth_council"}),
    ("governance:vote", "board_vote", {"community_member"}),
]


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(("url_name", "target", "allowed"), GET_PAGES)
def test_pages(client, user_for_role, objects, role, url_name, target, allowed):
    response = login_as(client, user_for_role(role)).get(_url(url_name, target, objects))
    if role in allowed:
        assert response.status_code == 200
    else:
        assert is_denied(role, response)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(
    ("url_name", "target", "allowed"),
    [
        ("governance:start_discussion", "draft", {"civil_servant"}),
        ("governance:execute", "adopted", {"civil_servant"}),
        ("governance:execute", "adopted_allocation", {"civil_servant"}),
        # Commenting needs an account (issue 15's default), never a staff account.
        (
            "governance:comment",
            "discussion",
            {"community_member", "youth_council", "advisory_member"},
        ),
        ("governance:advise", "discussion", {"advisory_member", "youth_council"}),
    ],
)
def test_actions_refuse_get(client, user_for_role, objects, role, url_name, target, allowed):
    response = login_as(client, user_for_role(role)).get(_url(url_name, target, objects))
    if role in allowed:
        assert response.status_code == 405
    else:
        assert is_denied(role, response)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_create_action(client, user_for_role, objects, role):
    before = Proposal.objects.count()
    body = objects["draft"].body
    response = login_as(client, user_for_role(role)).post(
        reverse("governance:create"),
        {"title": "Nieuw", "text": "Tekst", "method": "board", "body": body.pk},
    )
    allowed = role == "civil_servant"
    assert Proposal.objects.count() == before + allowed
    if allowed:
        assert response.status_code == 302
    else:
        assert is_denied(role, response)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_edit_action(client, user_for_role, objects, role):
    proposal = objects["draft"]
    response = login_as(client, user_for_role(role)).post(
        _url("governance:edit", "draft", objects),
        {"title": "Nieuwe titel", "text": "Tekst", "method": "board", "body": proposal.body_id},
    )
    proposal.refresh_from_db()
    allowed = role == "civil_servant"
    assert (proposal.title == "Nieuwe titel") == allowed
    if allowed:
        assert response.status_code == 302
    else:
        assert is_denied(role, response)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(
    ("url_name", "target", "data", "status_after"),
    [
        ("governance:start_discussion", "draft", {}, Proposal.Status.DISCUSSION),
        (
            "governance:open_voting",
            "discussion",
            {"closes_at": "2999-01-01T12:00"},
            Proposal.Status.VOTING,
        ),
        ("governance:withdraw", "discussion", {"reason": "Dubbel"}, Proposal.Status.WITHDRAWN),
        ("governance:execute", "adopted", {}, Proposal.Status.EXECUTED),
        ("governance:execute", "adopted_allocation", {}, Proposal.Status.EXECUTED),
    ],
)
def test_transition_actions(
    client, user_for_role, objects, role, url_name, target, data, status_after
):
    proposal = objects[target]
    before = proposal.status
    response = login_as(client, user_for_role(role)).post(_url(url_name, target, objects), data)
    proposal.refresh_from_db()
    if role == "civil_servant":
        assert response.status_code == 302
        assert proposal.status == status_after
    else:
        assert is_denied(role, response)
        assert proposal.status == before
    if proposal.is_allocation:
        # the money moves only when a civil servant carries the decision out
        assert Allocation.objects.filter(decision_id=proposal.decision.pk).exists() == (
            role == "civil_servant"
        )


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_poll_ballot_action(client, user_for_role, objects, role):
    response = login_as(client, user_for_role(role)).post(
        _url("governance:vote", "poll", objects), {"choice": Choice.FOR}
    )
    allowed = role in {"community_member", "youth_council"}
    assert Participation.objects.filter(proposal=objects["poll"]).count() == allowed
    assert SealedBallot.objects.filter(proposal=objects["poll"]).count() == allowed
    if allowed:
        assert response.status_code == 200  # the receipt with the tracking code
        assert 'data-testid="tracking-code"' in response.content.decode()
    else:
        assert is_denied(role, response)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_board_vote_action(client, user_for_role, objects, role):
    response = login_as(client, user_for_role(role)).post(
        _url("governance:vote", "board_vote", objects), {"choice": Choice.AGAINST}
    )
    allowed = role == "community_member"
    assert Vote.objects.filter(proposal=objects["board_vote"]).count() == allowed
    if allowed:
        assert response.status_code == 302
    else:
        assert is_denied(role, response)


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize(
    ("url_name", "allowed"),
    [
        ("governance:comment", {"community_member", "youth_council", "advisory_member"}),
        ("governance:advise", {"advisory_member", "youth_council"}),
    ],
)
def test_discussion_actions(client, user_for_role, objects, role, url_name, allowed):
    response = login_as(client, user_for_role(role)).post(
        _url(url_name, "discussion", objects), {"text": "Mijn bijdrage"}
    )
    assert Comment.objects.filter(proposal=objects["discussion"]).count() == (role in allowed)
    if role in allowed:
        assert response.status_code == 302
    else:
        assert is_denied(role, response)


def test_a_community_member_outside_the_roll_is_told_why(client, objects, civil_servant):
    from accounts import services as accounts
    from tests.accounts.factories import AreaFactory, UserFactory

    outsider = UserFactory(username="elders")
    accounts.verify_member(user=outsider, area=AreaFactory(slug="west"), actor=civil_servant)
    client.force_login(outsider)
    response = client.post(_url("governance:vote", "poll", objects), {"choice": Choice.FOR})
    assert response.status_code == 403
    assert response.context["refusal"]
    assert not Participation.objects.exists()
