"""The budget round on the vote page's list of open votes: who sees a round to vote in, who is
told how to take part, and who sees the vote they cast; on the home page, the round's card leads
to its ballot while voting is open. Both pages stay within the query budget with a round open."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from accounts.models import VerificationRequirement
from budgeting import selectors, services
from budgeting.models import Round
from tests.accounts.factories import AreaFactory
from tests.budgeting.factories import resident_of, round_in
from tests.roles import ACCOUNT_ROLES, login_as

pytestmark = pytest.mark.django_db
S = Round.Status
VOTE_PAGE = "/voorstellen/stemmen/"
RESIDENTS = {"community_member", "youth_council"}  # verified in the round's area (conftest)


def _part(html: str, testid: str) -> str:
    """The HTML of the block marked `data-testid=testid`, or "" when the page has none."""
    if f'data-testid="{testid}"' not in html:
        return ""
    return html.split(f'data-testid="{testid}"', 1)[1].split("</ul>", 1)[0]


@pytest.fixture
def voting_round(area, civil_servant):
    author = resident_of(area, civil_servant, "indiener")
    return round_in(S.VOTING, area=area, civil_servant=civil_servant, author=author,
                    name="Buurtbudget Bijlmer")  # fmt: skip


def _vote(round: Round, voter) -> None:
    plans = list(round.plans.filter(number__isnull=False))
    services.cast_ballot(actor=voter, round=round, plans=plans[: round.min_plans])


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_who_sees_the_round_open_for_voting(client, user_for_role, voting_round, role):
    html = login_as(client, user_for_role(role)).get(VOTE_PAGE).content.decode()
    listed = _part(html, "open-rounds")
    ballot = reverse("budgeting:ballot", args=[voting_round.pk])
    if role in RESIDENTS:
        # a verified resident of the area: the round, its closing date and the way to the ballot
        assert voting_round.title in listed and f'href="{ballot}"' in listed
        assert "stemming sluit op" in listed
        assert 'data-testid="no-open-votes"' not in html
    elif role == "anonymous":
        # a visitor: the round is open, and logging in is how to take part
        assert voting_round.title in listed
        assert 'data-testid="round-how-to-vote"' in listed and "Log in" in listed
        assert f"?next={ballot}" in listed
        assert f'href="{ballot}"' not in listed
    else:
        # not a verified resident (advisory member) or staff, who never vote: not listed
        assert listed == "" and voting_round.title not in _part(html, "voted-rounds")
        assert 'data-testid="no-open-votes"' in html


def test_a_member_of_another_area_or_unverified_does_not_see_it(
    client, voting_round, civil_servant, resident
):
    elsewhere = resident_of(AreaFactory(name="Gaasperdam", slug="gaasperdam"), civil_servant, "ver")
    for user in (elsewhere, resident):
        client.force_login(user)
        html = client.get(VOTE_PAGE).content.decode()
        assert 'data-testid="open-rounds"' not in html, user
        assert 'data-testid="no-open-votes"' in html


def test_a_member_of_an_area_inside_the_rounds_area_sees_it(client, area, civil_servant):
    # the area inside it when the round was frozen (tests/budgeting/test_electorate.py: later)
    inside = resident_of(AreaFactory(name="Buurt", slug="buurt", parent=area), civil_servant, "b")
    author = resident_of(area, civil_servant, "indiener")
    round = round_in(S.VOTING, area=area, civil_servant=civil_servant, author=author)
    client.force_login(inside)
    html = client.get("/voorstellen/stemmen/").content.decode()
    assert round.title in _part(html, "open-rounds")


def test_the_verification_the_round_asks_decides(client, area, civil_servant, community_member):
    # the member was verified in person; the municipality asks DigiD or a code for this vote
    # (when the round was frozen: tests/budgeting/test_electorate.py for a change later)
    VerificationRequirement.objects.filter(
        action=VerificationRequirement.Action.BUDGET_VOTE
    ).update(in_person=False)
    author = resident_of(area, civil_servant, "indiener")
    voting_round = round_in(S.VOTING, area=area, civil_servant=civil_servant, author=author)
    client.force_login(community_member)
    html = client.get("/voorstellen/stemmen/").content.decode()
    assert 'data-testid="open-rounds"' not in html
    ballot = client.get(reverse("budgeting:ballot", args=[voting_round.pk]))
    assert ballot.status_code == 403  # the list and the ballot ask the same rule


@pytest.mark.parametrize("status", [S.IDEAS, S.REVIEW, S.FROZEN])
def test_a_round_not_voting_is_not_listed(client, area, civil_servant, community_member, status):
    author = resident_of(area, civil_servant, "indiener")
    round_in(status, area=area, civil_servant=civil_servant, author=author, name="Nog niet")
    for user in (community_member, None):
        client.logout()
        html = login_as(client, user).get("/voorstellen/stemmen/").content.decode()
        assert "Nog niet" not in _part(html, "open-rounds") and "open-round" not in html


def test_a_round_before_or_after_its_window_is_not_listed(client, voting_round, community_member):
    client.force_login(community_member)
    for moment in (voting_round.voting_opens_at - datetime.timedelta(minutes=1),
                   voting_round.voting_closes_at):  # fmt: skip
        with freeze_time(moment):
            assert selectors.rounds_to_vote_in(community_member).open == []
            html = client.get("/voorstellen/stemmen/").content.decode()
            assert 'data-testid="open-rounds"' not in html
    with freeze_time(voting_round.voting_closes_at - datetime.timedelta(minutes=1)):
        assert selectors.rounds_to_vote_in(community_member).open == [voting_round]


@pytest.mark.parametrize("role", sorted(RESIDENTS))
def test_after_voting_the_round_is_listed_once_as_voted(client, user_for_role, voting_round, role):
    member = user_for_role(role)
    _vote(voting_round, member)
    client.force_login(member)
    html = client.get(VOTE_PAGE).content.decode()
    assert 'data-testid="open-rounds"' not in html  # not twice: not to vote in any more
    voted = _part(html, "voted-rounds")
    assert voting_round.title in voted and voting_round.get_absolute_url() in voted
    assert "U kunt uw stem niet veranderen" in voted  # a ballot is cast once
    assert html.count(f">{voting_round.title}<") == 1
    assert 'data-testid="no-open-votes"' not in html


def test_the_selector_lists_each_round_once(voting_round, community_member, youth_member):
    _vote(voting_round, youth_member)
    mine = selectors.rounds_to_vote_in(community_member)
    assert (mine.open, mine.voted) == ([voting_round], [])
    theirs = selectors.rounds_to_vote_in(youth_member)
    assert (theirs.open, theirs.voted) == ([], [voting_round])


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_the_home_pages_round_card_leads_to_the_ballot_while_voting_is_open(
    client, user_for_role, voting_round, role
):
    html = login_as(client, user_for_role(role)).get("/").content.decode()
    action = _part(html, "home-budget-round-action").split("</p>", 1)[0]
    ballot = reverse("budgeting:ballot", args=[voting_round.pk])
    if role == "anonymous":
        assert f"?next={ballot}" in action and "Log in om te stemmen" in action
    elif role in ("civil_servant", "administrator"):  # staff never vote: no way to the ballot
        assert 'data-testid="home-budget-round-action"' not in html and ballot not in html
    elif user_for_role(role).has_perm("budgeting.vote", voting_round):
        assert f'href="{ballot}">Naar het stembiljet<' in action
    else:  # why not, instead of a link to a page that refuses them (2026-12-07)
        assert ballot not in html
        assert "Alleen geverifieerde bewoners van" in action and "kunnen stemmen." in action
    # "Vote now" does not say that nothing is open while the round is
    assert "Er is nu geen stemming open" not in html
    assert "geen stemming over een voorstel open" in html


def test_the_home_page_says_a_member_voted_in_the_round(client, voting_round, community_member):
    _vote(voting_round, community_member)
    client.force_login(community_member)
    action = _part(client.get("/").content.decode(), "home-budget-round-action")
    assert "U hebt gestemd in deze ronde." in action
    assert reverse("budgeting:ballot", args=[voting_round.pk]) not in action


def test_the_home_page_shows_no_way_to_the_ballot_when_voting_is_not_open(
    client, area, civil_servant, community_member
):
    author = resident_of(area, civil_servant, "indiener")
    round_in(S.FROZEN, area=area, civil_servant=civil_servant, author=author, name="Nog niet")
    client.force_login(community_member)
    html = client.get("/").content.decode()
    assert 'data-testid="home-budget-round"' in html
    assert 'data-testid="home-budget-round-action"' not in html


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_both_pages_stay_within_the_query_budget_with_a_round_open(
    client, user_for_role, voting_round, role, django_assert_max_num_queries
):
    login_as(client, user_for_role(role))
    for page in ("/", VOTE_PAGE):
        client.get(page)  # the layout's cache warmed, as on a running site
        with django_assert_max_num_queries(12):
            assert client.get(page).status_code == 200


def test_the_link_under_the_list_names_what_it_counts(client, area, voting_round, community_member):
    # given a resident with two votes open to them: a poll and the budget round
    from tests.governance.factories import poll

    poll(areas=[area], title="Peiling in de wijk")
    html = login_as(client, community_member).get(VOTE_PAGE).content.decode()
    assert "Peiling in de wijk" in html and voting_round.title in html
    # then the link to the proposals list says it counts proposals, not "all open votes" (1 of 2)
    assert "Alle voorstellen in stemming (1)" in html
    assert "Alle open stemmingen" not in html
