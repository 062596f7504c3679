"""The budget round in the main navigation for everyone, and its status on the home page while
a round runs."""

import pytest
from django.urls import reverse

from budgeting import services
from budgeting.models import Round
from tests.accounts.factories import AreaFactory
from tests.budgeting.factories import resident_of, round_in
from tests.roles import ACCOUNT_ROLES

pytestmark = pytest.mark.django_db
S = Round.Status


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_every_page_links_the_budget_rounds_in_the_main_navigation(client, user_for_role, role):
    if user_for_role(role) is not None:
        client.force_login(user_for_role(role))
    for url in ("/", reverse("governance:list"), reverse("budgeting:list")):
        page = client.get(url).content.decode()
        assert f'href="{reverse("budgeting:list")}"' in page and ">Begrotingsronde<" in page
    page = client.get(reverse("budgeting:list")).content.decode()
    assert 'aria-current="page" data-testid="nav-budget"' in page


def test_the_home_page_shows_the_running_round_and_its_status(
    client, area, civil_servant, community_member
):
    assert 'data-testid="home-budget-round"' not in client.get("/").content.decode()
    draft = round_in(S.DRAFT, area=area, civil_servant=civil_servant, author=community_member,
                     name="Nog geheim")  # fmt: skip
    assert draft.title not in client.get("/").content.decode()  # a draft is not shown
    round = round_in(S.VOTING, area=area, civil_servant=civil_servant, author=community_member,
                     name="Buurtbudget 2026")  # fmt: skip
    page = client.get("/").content.decode()
    assert 'data-testid="home-budget-round"' in page and "Buurtbudget 2026" in page
    assert 'data-testid="home-budget-round-status">In stemming</strong>' in page
    assert round.get_absolute_url() in page


def test_a_newer_round_collecting_plans_does_not_push_the_vote_off_the_home_page(
    client, area, civil_servant, community_member
):
    # given a round open for voting, then a newer one that collects plans
    voting = round_in(S.VOTING, area=area, civil_servant=civil_servant, author=community_member,
                      name="Buurtbudget 2026")  # fmt: skip
    ideas = round_in(S.IDEAS, area=area, civil_servant=civil_servant, author=community_member,
                     name="Jongerenbudget 2026")  # fmt: skip
    assert ideas.created_at >= voting.created_at
    # when a visitor opens the home page
    page = client.get("/").content.decode()
    # then the vote is the round shown, with the way to its ballot; the newer round is named
    assert "Begrotingsronde: Buurtbudget 2026</h2>" in page
    assert 'data-testid="home-budget-round-action"' in page
    assert 'data-testid="home-other-rounds"' in page
    assert f'href="{ideas.get_absolute_url()}">Jongerenbudget 2026</a> (plannen verzamelen)' in page


def test_without_a_vote_the_newest_running_round_is_shown_and_no_other_is_named(
    client, area, civil_servant, community_member
):
    round_in(S.IDEAS, area=area, civil_servant=civil_servant, author=community_member,
             name="Jongerenbudget 2026")  # fmt: skip
    page = client.get("/").content.decode()
    assert "Begrotingsronde: Jongerenbudget 2026</h2>" in page
    assert 'data-testid="home-other-rounds"' not in page


def test_the_home_page_gives_the_way_to_the_ballot_only_to_who_may_vote(
    client, area, civil_servant, community_member
):
    """A member of the advisory committee living elsewhere followed "To the ballot" on the home
    page to a page that refused them (403; noticed 2026-12-07 walking the site as each role)."""
    # given a round open for voting in `area`, its resident, and a member verified elsewhere
    round = round_in(S.VOTING, area=area, civil_servant=civil_servant, author=community_member,
                     name="Buurtbudget 2026")  # fmt: skip
    ballot = f'href="{reverse("budgeting:ballot", args=[round.pk])}"'
    elsewhere = resident_of(AreaFactory(name="Noord", slug="noord"), civil_servant, "elders")
    # then the resident gets the way to the ballot
    client.force_login(community_member)
    page = client.get("/").content.decode()
    assert ballot in page
    # and the member from elsewhere why they cannot vote, and no link to a refusal
    client.force_login(elsewhere)
    page = client.get("/").content.decode()
    assert ballot not in page
    assert (
        "Alleen geverifieerde bewoners van Bijlmer-Centrum kunnen stemmen. Dat kan zolang het "
        "stemmen open is."
    ) in page
    # and someone who voted is thanked, also without the link
    client.force_login(community_member)
    services.cast_ballot(actor=community_member, round=round, plans=list(round.plans.all()[:3]))
    page = client.get("/").content.decode()
    assert ballot not in page and "U hebt gestemd in deze ronde. Dank u." in page
