"""The round's pages: a permission matrix for every view and role, refusals that write nothing."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from budgeting import services
from budgeting.models import Ballot, Plan, Round
from governance import officing
from tests.accounts.factories import UserFactory, verified_in_person
from tests.budgeting.factories import HOUR, rejected, resident_of
from tests.clock import at_closing
from tests.governance.factories import board
from tests.roles import ROLES, login_as

pytestmark = pytest.mark.django_db
S = Round.Status

RESIDENTS = {"community_member", "youth_council"}


@pytest.fixture
def who(user_for_role, civil_servant):
    """Every role; the officer has a shift at a Community Home, the trustee a community seat.
    Neither is a verified resident of the round's area."""
    officer = UserFactory(username="stembureaulid")
    home = officing.create_location(
        name="Buurthuis", address="Plein 1", opening_hours="ma-vr", actor=civil_servant
    )
    now = timezone.now()
    officing.add_shift(
        officer=verified_in_person(officer), location=home, starts_at=now - HOUR, ends_at=now + HOUR,
        task="checkin", appointed_by="Besluit BK-1", actor=None,
    )  # fmt: skip
    trustee = board(community=1, institution=0)[1]["community"][0]

    def get(role):
        return {"officer": officer, "trustee": trustee}.get(role) or user_for_role(role)

    return get


def _expect(role, allowed: bool, response):
    if allowed:
        assert response.status_code == 200, (role, response.status_code)
    elif role == "anonymous":
        assert response.status_code == 302 and "/accounts/" in response["Location"]
    else:
        assert response.status_code == 403, (role, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_the_list_and_a_public_round_are_for_everyone(client, who, make_round, role):
    round = make_round(S.IDEAS)
    client = login_as(client, who(role))
    assert client.get(reverse("budgeting:list")).status_code == 200
    response = client.get(round.get_absolute_url())
    assert response.status_code == 200
    assert round.title in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_round_is_for_civil_servants_only(client, who, make_round, role):
    round = make_round(S.DRAFT)
    response = login_as(client, who(role)).get(round.get_absolute_url())
    _expect(role, role == "civil_servant", response)
    listed = login_as(client, who(role)).get(reverse("budgeting:list")).content.decode()
    assert (round.title in listed) == (role == "civil_servant")


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_round(client, who, make_round, role):
    fund = make_round(S.DRAFT).fund
    client = login_as(client, who(role))
    _expect(role, role == "civil_servant", client.get(reverse("budgeting:create")))
    before = Round.objects.count()
    response = client.post(
        reverse("budgeting:create"),
        {"title": "Nieuwe ronde", "fund": fund.pk, "area": fund.area_id or Round.objects.first().area_id,
         "min_plans": 3, "tie_break": "lower_cost"},
    )  # fmt: skip
    if role == "civil_servant":
        assert response.status_code == 302 and Round.objects.count() == before + 1
    else:
        assert response.status_code in (302, 403) and Round.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_submitting_a_plan(client, who, make_round, role):
    round = make_round(S.IDEAS, costs=())
    client = login_as(client, who(role))
    url = reverse("budgeting:submit_plan", args=[round.pk])
    _expect(role, role in RESIDENTS, client.get(url))
    response = client.post(url, {"title": "Moestuin", "description": "Samen tuinieren",
                                 "cost": "1500"})  # fmt: skip
    if role in RESIDENTS:
        assert response.status_code == 302
        assert Plan.objects.get().author == who(role)
    else:
        assert response.status_code in (302, 403)
        assert not Plan.objects.exists()


def test_a_plan_with_bad_input_shows_a_message_and_writes_nothing(
    client, make_round, community_member
):
    round = make_round(S.IDEAS, costs=())
    client.force_login(community_member)
    url = reverse("budgeting:submit_plan", args=[round.pk])
    for data in ({"title": "", "description": "x", "cost": "10"},
                 {"title": "x", "description": "x", "cost": "12.5"},
                 {"title": "x", "description": "x", "cost": "-1"},
                 {"title": "x", "description": "x", "cost": "veel"}):  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 400
    assert not Plan.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_reviewing_a_plan(client, who, make_round, role, community_member):
    round = make_round(S.REVIEW, costs=(1000,), min_plans=1)
    plan = round.plans.get()
    client = login_as(client, who(role))
    url = reverse("budgeting:review_plan", args=[plan.pk])
    _expect(role, role == "civil_servant", client.get(url))
    response = client.post(url, {"feasible": "0", "reason": "Mag niet op die plek."})
    plan.refresh_from_db()
    if role == "civil_servant":
        assert response.status_code == 302 and plan.feasibility == Plan.Feasibility.UNFEASIBLE
    else:
        assert response.status_code in (302, 403)
        assert plan.feasibility == Plan.Feasibility.FEASIBLE and plan.review_reason == ""


@pytest.mark.parametrize("role", ROLES)
def test_the_ballot(client, who, make_round, role):
    round = make_round(S.VOTING)
    client = login_as(client, who(role))
    url = reverse("budgeting:ballot", args=[round.pk])
    response = client.get(url)
    _expect(role, role in RESIDENTS, response)
    if role in RESIDENTS:
        page = response.content.decode()
        assert "€\xa01.000" in page and "data-budget-ballot" in page
    ids = list(round.plans.values_list("pk", flat=True))[:3]
    response = client.post(url, {"plans": ids})
    if role in RESIDENTS:
        assert response.status_code == 302
        assert Ballot.objects.get().voter == who(role)
    else:
        assert response.status_code in (302, 403)
        assert not Ballot.objects.exists()


def test_a_ballot_with_too_few_plans_says_so_and_writes_nothing(
    client, make_round, community_member
):
    round = make_round(S.VOTING)
    client.force_login(community_member)
    ids = list(round.plans.values_list("pk", flat=True))[:2]
    response = client.post(reverse("budgeting:ballot", args=[round.pk]), {"plans": ids})
    assert response.status_code == 400
    assert "Kies minstens 3 plannen. U koos er 2." in response.content.decode()
    assert not Ballot.objects.exists()
    # the choices made stay ticked
    assert response.content.decode().count(" checked") == 2


def test_voting_twice_or_after_closing_is_refused_with_a_clear_page(
    client, make_round, community_member, youth_member
):
    round = make_round(S.VOTING)
    client.force_login(community_member)
    url = reverse("budgeting:ballot", args=[round.pk])
    ids = list(round.plans.values_list("pk", flat=True))
    assert client.post(url, {"plans": ids}).status_code == 302
    again = client.post(url, {"plans": ids})
    assert again.status_code == 409
    assert "U hebt al gestemd" in again.content.decode()
    assert Ballot.objects.count() == 1
    with at_closing(round.voting_closes_at + datetime.timedelta(minutes=1)):
        client.force_login(youth_member)
        late = client.get(url)
    assert late.status_code == 403 and "zolang het stemmen open is" in late.content.decode()


STEP_FROM = {"ideeen": S.DRAFT, "beoordelen": S.IDEAS, "stemming": S.FROZEN}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", sorted(STEP_FROM))
def test_lifecycle_steps(client, who, make_round, role, step):
    round = make_round(STEP_FROM[step])
    client = login_as(client, who(role))
    url = reverse("budgeting:step", args=[round.pk, step])
    assert client.get(url).status_code in (302, 403, 405)
    response = client.post(url)
    round.refresh_from_db()
    if role == "civil_servant":
        assert response.status_code == 302 and round.status != STEP_FROM[step]
    else:
        assert response.status_code in (302, 403) and round.status == STEP_FROM[step]


def test_a_refused_step_says_why_and_changes_nothing(client, make_round, civil_servant):
    round = make_round(S.REVIEW, costs=(1000, 2000), min_plans=3)
    client.force_login(civil_servant)
    response = client.post(reverse("budgeting:step", args=[round.pk, "bevriezen"]), follow=True)
    assert "Er zijn 2 haalbare plannen" in response.content.decode()
    round.refresh_from_db()
    assert round.status == S.REVIEW and round.budget is None


def _computed(round, area, civil_servant):
    plans = {p.number: p for p in round.plans.all()}
    for i, numbers in enumerate([[1, 2, 3], [2, 3, 4], [1, 3, 4]]):
        voter = resident_of(area, civil_servant, f"kiezer{i}")
        services.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in numbers])
    with at_closing(round.voting_closes_at + HOUR):
        return services.compute_outcome(actor=civil_servant, round=round)


@pytest.mark.parametrize("role", ROLES)
def test_the_result_page_and_downloads_are_public(
    client, who, make_round, area, civil_servant, role
):
    round = _computed(make_round(S.VOTING), area, civil_servant)
    client = login_as(client, who(role))
    page = client.get(round.get_absolute_url()).content.decode()
    assert 'data-testid="outcome"' in page and "Uitkomst met gelijke delen" in page
    [downloads] = re.findall(r'data-testid="downloads">(.*?)</p>', page, re.S)
    assert downloads.startswith("Wilt u zelf natellen? Download dan de stembiljetten.")
    assert ">CSV-bestand, voor Excel of een ander rekenprogramma</a>" in downloads
    pb = client.get(reverse("budgeting:download", args=[round.pk, "pb"]))
    assert pb.status_code == 200 and pb.content.decode().startswith("META")
    csv = client.get(reverse("budgeting:download", args=[round.pk, "csv"]))
    assert csv.status_code == 200 and "kiezer" not in csv.content.decode()


def test_an_unfunded_plan_is_explained_in_words(client, make_round, area, civil_servant):
    round = make_round(S.VOTING, costs=(1000, 2000, 3000, 4000), money="5000.00")
    plans = {p.number: p for p in round.plans.all()}
    for i in range(3):
        voter = resident_of(area, civil_servant, f"kiezer{i}")
        services.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in (1, 2, 3)])
    voter = resident_of(area, civil_servant, "eenling")
    services.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in (2, 3, 4)])
    with at_closing(round.voting_closes_at + HOUR):
        round = services.compute_outcome(actor=civil_servant, round=round)
    page = client.get(round.get_absolute_url()).content.decode()
    # plan 4 (€ 4.000) has one voter, whose equal share is at most € 5.000 / 4 and raised
    assert "Dit plan kreeg 1 stem. De stemmer had nog €\xa0" in page
    assert "Het plan kost €\xa04.000." in page


def test_downloads_wait_for_the_outcome(client, make_round):
    round = make_round(S.VOTING)
    assert client.get(reverse("budgeting:download", args=[round.pk, "pb"])).status_code == 404


def test_no_votes_per_plan_are_shown_while_voting(client, make_round, community_member):
    round = make_round(S.VOTING)
    ids = list(round.plans.values_list("pk", flat=True))
    services.cast_ballot(actor=community_member, round=round, plans=ids)
    page = client.get(round.get_absolute_url()).content.decode()
    assert "1 stem" not in page and 'data-testid="ballot-count">1<' in page


def test_a_round_with_the_swiecie_rule_is_created_through_the_form(
    client, make_round, civil_servant
):
    fund = make_round(S.DRAFT).fund
    client.force_login(civil_servant)
    data = {"title": "Świecie", "fund": fund.pk, "area": Round.objects.first().area_id,
            "min_plans": 3, "tie_break": Round.TieBreak.LOWER_COST}  # fmt: skip
    for bad in ("101", "-1", "tien"):
        assert (
            client.post(reverse("budgeting:create"), {**data, "min_vote_percent": bad}).status_code
            == 400
        )
    assert Round.objects.count() == 1
    assert (
        client.post(reverse("budgeting:create"), {**data, "min_vote_percent": "10"}).status_code
        == 302
    )
    round = Round.objects.get(title="Świecie")
    assert round.min_vote_percent == 10
    page = client.get(round.get_absolute_url()).content.decode()
    assert "Een plan wordt alleen betaald als minstens 10% van de stemmers het koos." in page


def test_amounts_are_written_as_the_rest_of_the_site_writes_money(
    client, make_round, area, civil_servant
):
    """€ 12.500, as on the fund's pages; not "12.500 euro", nor a bare number in the table."""
    round = make_round(S.IDEAS, costs=(12500, 2000, 3000), money="20000.00")
    plan = round.plans.get(cost=12500)
    client.force_login(civil_servant)
    review = client.get(reverse("budgeting:review_plan", args=[plan.pk])).content.decode()
    assert "Gevraagde kosten: €\xa012.500<" in review
    page = client.get(round.get_absolute_url()).content.decode()
    assert "Kosten: €\xa012.500 ·" in page and "12.500 euro" not in page

    round = _computed(make_round(S.VOTING, name="Tweede"), area, civil_servant)
    outcome = client.get(round.get_absolute_url()).content.decode()
    assert 'utrecht-table__cell--numeric-data">€\xa04.000</td>' in outcome


def test_the_list_puts_the_rounds_one_can_take_part_in_first_and_says_what_one_can_do(
    client, make_round, civil_servant
):
    # given a round in voting, a newer round that has ended, and a newer one collecting plans
    voting = make_round(S.VOTING, name="Buurtbudget 2026")
    ended = make_round(S.VOTING, name="Buurtbudget 2025")
    ended = rejected(ended, area=ended.area, civil_servant=civil_servant)
    ideas = make_round(S.IDEAS, name="Buurtbudget 2027")
    # when anyone looks at the list
    page = client.get(reverse("budgeting:list")).content.decode()
    items = page.replace("\xa0", " ").split('data-testid="round"')[1:]
    # then the running rounds come first, newest first, then the ended one
    titles = [next(r.title for r in (voting, ended, ideas) if r.title in i) for i in items]
    assert titles == [ideas.title, voting.title, ended.title]
    # each says its plans and what one can do now
    closes = timezone.localtime(voting.voting_closes_at)
    assert "U kunt stemmen tot" in items[1] and f"{closes:%H:%M}" in items[1]
    voting.refresh_from_db()
    assert f"4 plannen · € {int(voting.budget):,} te verdelen".replace(",", ".") in items[1]
    assert "U kunt nu een plan indienen." in items[0]
    assert "U kunt" not in items[2]
    # once voting has closed (the outcome not yet computed), it no longer invites to vote
    # (a frozen round's window cannot be changed, also not in the database: the clock moves on)
    with at_closing(voting.voting_closes_at + datetime.timedelta(minutes=1)):
        page = client.get(reverse("budgeting:list")).content.decode()
    assert "U kunt stemmen tot" not in page


def test_the_list_says_how_many_plans_are_on_the_ballot_when_not_all_are(
    client, make_round, civil_servant, community_member
):
    # given a round whose review found one of its five plans not feasible, now voting
    round = make_round(S.IDEAS)
    services.submit_plan(
        actor=community_member, round=round, title="Parkeergarage", description="Te duur.",
        cost=900,
    )  # fmt: skip
    round = services.start_review(actor=civil_servant, round=round)
    for plan in round.plans.all():
        feasible = plan.title != "Parkeergarage"
        services.review_plan(
            actor=civil_servant, plan=plan, feasible=feasible, reason="" if feasible else "Te duur."
        )
    round = services.freeze_round(actor=civil_servant, round=round)
    services.open_voting(actor=civil_servant, round=round)
    # when anyone looks at the list, then it says what the ballot holds beside what came in
    page = client.get(reverse("budgeting:list")).content.decode()
    assert "5 plannen, 4 op het stembiljet" in page
    # a round whose plans are all on the ballot just counts them
    make_round(S.VOTING, name="Buurtbudget Noord")
    items = client.get(reverse("budgeting:list")).content.decode().split('data-testid="round"')
    noord = next(item for item in items if "Buurtbudget Noord" in item)
    assert "4 plannen ·" in noord and "op het stembiljet" not in noord


@pytest.mark.parametrize(
    ("status", "shown"),
    [(S.DRAFT, ["ideeen"]), (S.IDEAS, ["beoordelen"]), (S.REVIEW, ["bevriezen"]),
     (S.FROZEN, ["stemming"]), (S.VOTING, [])],
)  # fmt: skip
def test_the_round_page_offers_only_the_step_its_state_allows(
    client, make_round, civil_servant, status, shown
):
    # given a round in `status`, and the civil servant who runs it
    round = make_round(status)
    client.force_login(civil_servant)
    # when they open its page
    page = client.get(round.get_absolute_url()).content.decode()
    # then its box offers the step that can be taken now, not the whole life of a round
    offered = re.findall(rf'action="/begroting/{round.pk}/stap/([a-z]+)/"', page)
    assert offered == shown
    if not shown:  # voting, not closed yet: it says what comes next, and when
        closes = timezone.localtime(round.voting_closes_at)
        assert "Nu is er niets te doen. Na het sluiten van de stemming op" in page
        assert f"{closes:%H:%M} kunt u de uitslag berekenen." in page
