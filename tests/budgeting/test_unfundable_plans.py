"""A plan that costs more than its round's whole budget can never be chosen (review 2026-12-06,
finding 8): the review refuses to call it feasible; one the fund could pay when it was reviewed,
but not at freezing, stays off the ballot and out of the count; the round's page lists the plans
not on the ballot under their own heading, each with why."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from budgeting import services
from budgeting.forms import BallotForm
from budgeting.models import Plan, Round
from notifications.models import Event
from tests.budgeting.factories import HOUR, resident_of
from tests.clock import at_closing
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import allocate

pytestmark = pytest.mark.django_db
S = Round.Status


def _unchanged(plan: Plan) -> tuple:
    plan.refresh_from_db()
    return (plan.feasibility, plan.reviewed_cost, plan.review_reason, plan.reviewed_by_id,
            plan.history.count())  # fmt: skip


def test_a_plan_above_the_whole_budget_is_refused_as_feasible_and_nothing_is_written(
    make_round, civil_servant
):
    # given a fund with € 5.000 and a plan of € 6.000
    round = make_round(S.IDEAS, costs=(6000, 1000), money="5000.00")
    big, small = round.plans.order_by("cost").reverse()
    before, events = _unchanged(big), Event.objects.count()
    # when a civil servant calls it feasible, then the service refuses, naming both amounts
    with pytest.raises(ValidationError) as refused:
        services.review_plan(actor=civil_servant, plan=big, feasible=True)
    [text] = refused.value.message_dict["feasible"]
    assert "Dit plan kost €\xa06.000" in text and "hele budget van deze ronde: €\xa05.000" in text
    assert _unchanged(big) == before and Event.objects.count() == events
    # so too a cheap plan whose cost after review is above the budget
    with pytest.raises(ValidationError) as refused:
        services.review_plan(
            actor=civil_servant, plan=small, feasible=True, reviewed_cost=7000, reason="Duurder."
        )
    assert refused.value.messages[0].startswith("Dit plan kost €\xa07.000.")
    assert small.feasibility == Plan.Feasibility.PENDING
    # in English too
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.review_plan(actor=civil_servant, plan=big, feasible=True)
    assert "more than the whole budget of this round: €\xa05,000" in refused.value.messages[0]
    # a lower cost after review, or "not feasible", is what the review can say
    services.review_plan(
        actor=civil_servant, plan=big, feasible=True, reviewed_cost=5000, reason="Kleiner."
    )
    services.review_plan(actor=civil_servant, plan=small, feasible=False, reason="Te duur.")


def test_the_review_page_says_the_budget_and_refuses_a_plan_above_it(
    client, make_round, civil_servant
):
    round = make_round(S.IDEAS, costs=(6000,), money="5000.00", min_plans=1)
    plan = round.plans.get()
    before = _unchanged(plan)
    client.force_login(civil_servant)
    url = reverse("budgeting:review_plan", args=[plan.pk])
    assert "Het fonds heeft nu €\xa05.000 voor deze ronde." in client.get(url).content.decode()
    response = client.post(url, {"feasible": "1", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dit plan kost €\xa06.000. Dat is meer dan het hele budget van deze ronde" in page
    assert _unchanged(plan) == before


def _money_spent_after_review(make_round, civil_servant, costs, *, money, spent, **kwargs):
    """A round whose plans were all reviewed feasible, then the fund paid `spent` elsewhere."""
    round = make_round(S.REVIEW, costs=costs, money=money, **kwargs)
    allocate(fund=round.fund, initiative=InitiativeFactory(), amount=spent, actor=civil_servant,
             purpose="Elders")  # fmt: skip
    return round


def test_a_plan_the_budget_no_longer_covers_at_freezing_stays_off_the_ballot_and_out_of_the_count(
    make_round, area, civil_servant, community_member
):
    # given four plans reviewed feasible with € 5.000 in the fund, which then pays € 1.000
    round = _money_spent_after_review(
        make_round, civil_servant, (1000, 2000, 3000, 4500), money="5000.00", spent="1000.00"
    )
    events = Event.objects.count()
    # when the round is frozen (budget € 4.000)
    round = services.freeze_round(actor=civil_servant, round=round)
    # then the plan of € 4.500 has no number: it is not on the ballot, and its author is told
    assert round.budget == Decimal("4000.00")
    above = round.plans.get(cost=4500)
    assert above.number is None and above.feasibility == Plan.Feasibility.FEASIBLE
    assert list(round.plans.exclude(number=None).order_by("number").values_list("cost", flat=True)) == [
        Decimal("1000.00"), Decimal("2000.00"), Decimal("3000.00"),
    ]  # fmt: skip
    told = Event.objects.order_by("pk")[events:]
    assert [(e.subject, e.data["on_ballot"]) for e in told] == [
        (f"budgeting.plan:{above.pk}", False)
    ]
    assert "€\xa04.000" in told[0].data["outcome"]["nl"]
    # the ballot does not show it, and does not take it
    round = services.open_voting(actor=civil_servant, round=round)
    assert above not in BallotForm(round=round).fields["plans"].queryset
    voter = resident_of(area, civil_servant, "kiezer-boven")
    with pytest.raises(ValidationError, match="alleen plannen van deze ronde"):
        services.cast_ballot(actor=voter, round=round, plans=list(round.plans.all()))
    # the count only knows the plans on the ballot, so it can never choose it
    on_ballot = list(round.plans.exclude(number=None))
    for i in range(3):
        services.cast_ballot(
            actor=resident_of(area, civil_servant, f"kiezer-{i}"), round=round, plans=on_ballot
        )
    with at_closing(round.voting_closes_at + HOUR):
        round = services.compute_outcome(actor=civil_servant, round=round)
    assert set(round.outcome["votes"]) == {"1", "2", "3"}
    assert sum(p.vote_cost for p in on_ballot if p.number in round.outcome["mes"]) <= 4000


def test_freezing_counts_only_the_plans_the_budget_covers_and_says_so(make_round, civil_servant):
    round = _money_spent_after_review(
        make_round, civil_servant, (1000, 2000, 4500), money="5000.00", spent="1000.00"
    )
    with pytest.raises(ValidationError) as refused:
        services.freeze_round(actor=civil_servant, round=round)
    assert (
        "2 haalbare plannen kosten niet meer dan het budget van €\xa04.000. Een stembiljet heeft "
        "er minstens 3 nodig."
    ) in refused.value.messages
    round.refresh_from_db()
    assert round.status == S.REVIEW and round.budget is None
    assert not round.plans.filter(locked=True).exists()


def test_the_round_page_lists_the_plans_not_on_the_ballot_under_their_own_heading_with_why(
    client, make_round, civil_servant, community_member
):
    # given a round with a plan found not feasible and one the budget no longer covers
    round = make_round(S.IDEAS, costs=(1000, 2000, 3000, 4500), money="5000.00")
    services.submit_plan(
        actor=community_member, round=round, title="Parkeergarage", description="Onder het plein.",
        cost=900,
    )  # fmt: skip
    round = services.start_review(actor=civil_servant, round=round)
    for plan in round.plans.all():
        feasible = plan.title != "Parkeergarage"
        services.review_plan(
            actor=civil_servant, plan=plan, feasible=feasible,
            reason="" if feasible else "De grond is niet van de gemeente.",
        )  # fmt: skip
    allocate(fund=round.fund, initiative=InitiativeFactory(), amount="1000.00", actor=civil_servant,
             purpose="Elders")  # fmt: skip
    # when the civil servant freezes it on its page
    client.force_login(civil_servant)
    response = client.post(reverse("budgeting:step", args=[round.pk, "bevriezen"]), follow=True)
    page = response.content.decode()
    # then the page says one feasible plan is left off, and why
    assert "1 haalbaar plan kost meer dan het budget van €\xa04.000." in page
    # the plans on the ballot first, numbered; then the others under their own heading
    assert page.count('data-testid="plans-heading"') == 2
    ballot, rest = page.split("Niet op het stembiljet")
    assert "Op het stembiljet" in ballot
    assert [n for n in ("1. Plan 1", "2. Plan 2", "3. Plan 3") if n in ballot] == [
        "1. Plan 1", "2. Plan 2", "3. Plan 3",
    ]  # fmt: skip
    assert "Parkeergarage" not in ballot and "Plan 4" not in ballot
    assert "Op deze plannen kunt u niet stemmen. Bij elk plan staat waarom." in rest
    assert "De gemeente vindt dit plan niet haalbaar: De grond is niet van de gemeente." in rest
    assert (
        "Dit plan kost €\xa04.500. Dat is meer dan het hele budget van deze ronde (€\xa04.000). "
        "Daarom kan het nooit betaald worden, en staat het niet op het stembiljet."
    ) in rest
    assert "Haalbaar" not in rest  # a plan off the ballot is not called feasible
    # in English
    client.cookies["django_language"] = "en"
    page = client.get(round.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    ballot, rest = page.split("Not on the ballot")
    assert "On the ballot" in ballot and "Parkeergarage" in rest
    assert "You cannot vote for these plans. Each plan says why." in rest
    assert "The municipality found this plan not feasible: De grond" in rest
    assert "That is more than the whole budget of this round (€\xa04,000)." in rest
