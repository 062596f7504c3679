"""The round's life through its services: what each step allows, refuses, and writes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time
from pabutools.election import parse_pabulib

from budgeting import exports, services
from budgeting.models import Ballot, BallotChoice, Plan, Round
from budgeting.outcome import compute_election, compute_pabulib
from notifications.models import Event
from sroi import ledger_selectors
from tests.accounts.factories import AreaFactory
from tests.budgeting.factories import HOUR, resident_of
from tests.clock import at_closing

pytestmark = pytest.mark.django_db
S = Round.Status


def test_a_resident_submits_a_plan_while_the_round_collects_plans(make_round, community_member):
    round = make_round(S.IDEAS, costs=())
    plan = services.submit_plan(
        actor=community_member, round=round, title="Bankjes", description="Bij het park",
        cost="2500",
    )  # fmt: skip
    assert plan.cost == Decimal("2500.00") and plan.author == community_member
    assert plan.history.first().history_user == community_member


@pytest.mark.parametrize("cost", ["0", "-5", "12.50", "abc", "1e20", "NaN"])
def test_a_plan_with_a_bad_cost_is_refused_and_nothing_is_written(
    make_round, community_member, cost
):
    round = make_round(S.IDEAS, costs=())
    with pytest.raises(ValidationError) as error:
        services.submit_plan(
            actor=community_member, round=round, title="X", description="Y", cost=cost
        )
    assert "cost" in error.value.message_dict
    assert not Plan.objects.exists()


def test_a_resident_of_another_area_cannot_submit_a_plan(make_round, civil_servant):
    round = make_round(S.IDEAS, costs=())
    elsewhere = resident_of(AreaFactory(name="Elders", slug="elders"), civil_servant, "elders")
    # the reason is the area, not the verification (tests/budgeting/test_plan_refusals.py)
    with pytest.raises(ValidationError, match="Deze ronde is voor de bewoners van Bijlmer-Centrum"):
        services.submit_plan(actor=elsewhere, round=round, title="X", description="Y", cost=10)
    assert not Plan.objects.exists()


def test_a_resident_of_a_neighbourhood_inside_the_area_takes_part(make_round, area, civil_servant):
    round = make_round(S.IDEAS, costs=())
    inside = AreaFactory(name="Binnen", slug="binnen", parent=area)
    neighbour = resident_of(inside, civil_servant, "buur")
    services.submit_plan(actor=neighbour, round=round, title="X", description="Y", cost=10)
    assert Plan.objects.count() == 1


def test_no_plans_after_the_ideas_phase(make_round, community_member):
    round = make_round(S.REVIEW)
    with pytest.raises(ValidationError):
        services.submit_plan(
            actor=community_member, round=round, title="Laat", description="Y", cost=10
        )
    assert Plan.objects.count() == 4


def test_an_unfeasible_review_needs_a_reason_which_goes_to_the_author(
    make_round, civil_servant, community_member
):
    round = make_round(S.IDEAS, costs=(5000,), money="10000.00")  # room for the higher cost
    plan = round.plans.get()
    with pytest.raises(ValidationError) as error:
        services.review_plan(actor=civil_servant, plan=plan, feasible=False)
    assert "reason" in error.value.message_dict
    events = Event.objects.count()
    services.review_plan(
        actor=civil_servant, plan=plan, feasible=True, reviewed_cost=6000,
        reason="De bankjes kosten meer.",
    )  # fmt: skip
    plan.refresh_from_db()
    assert plan.vote_cost == Decimal("6000.00") and plan.reviewed_by == civil_servant
    event = Event.objects.order_by("-pk").first()
    assert Event.objects.count() == events + 1
    assert event.data["reason"] == "De bankjes kosten meer."
    assert set(event.notifications.values_list("user", flat=True)) == {community_member.pk}


def test_a_review_reads_its_round_once_under_the_service_lock(make_round, civil_servant):
    """The service asks its rule of the round locked; the review itself does not read (and
    lock) the round a second time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = make_round(S.REVIEW, costs=(5000,)).plans.get()
    with CaptureQueriesContext(connection) as queries:
        services.review_plan(actor=civil_servant, plan=plan, feasible=True)
    from_round = [q["sql"] for q in queries if 'FROM "budgeting_round"' in q["sql"]]
    # this round read once (locked, by the service); the other rounds over its fund once, for
    # the money they promised (`promised_elsewhere`)
    this_round = [sql for sql in from_round if "SUM(" not in sql]
    others = [sql for sql in from_round if "SUM(" in sql]
    assert (len(this_round), len(others)) == (1, 1), from_round
    plan.refresh_from_db()
    assert plan.feasibility == Plan.Feasibility.FEASIBLE and plan.reviewed_by == civil_servant


def test_every_review_reaches_the_author_as_a_notification(
    make_round, civil_servant, community_member
):
    """Issue 14: the review's reason reaches the author, one event per review, also for a
    feasible plan without a reason and for a second review of the same plan."""
    round = make_round(S.IDEAS, costs=(5000, 2000))
    first, second = round.plans.order_by("pk")
    before = Event.objects.count()
    services.review_plan(actor=civil_servant, plan=first, feasible=True)
    services.review_plan(actor=civil_servant, plan=second, feasible=False,
                         reason="Dit mag niet in het park.")  # fmt: skip
    services.review_plan(actor=civil_servant, plan=second, feasible=True,
                         reason="Toch wel: de gemeente gaf toestemming.")  # fmt: skip
    events = list(Event.objects.order_by("pk")[before:])
    assert [e.subject for e in events] == [f"budgeting.plan:{first.pk}"] + [
        f"budgeting.plan:{second.pk}"
    ] * 2
    assert [e.data["feasibility"] for e in events] == [
        Plan.Feasibility.FEASIBLE,
        Plan.Feasibility.UNFEASIBLE,
        Plan.Feasibility.FEASIBLE,
    ]
    assert events[1].data["reason"] == "Dit mag niet in het park."
    for event in events:
        assert set(event.notifications.values_list("user", flat=True)) == {community_member.pk}
        assert event.url == round.get_absolute_url()
    # a refused review sends nothing
    with pytest.raises(ValidationError):
        services.review_plan(actor=community_member, plan=first, feasible=False, reason="x")
    assert Event.objects.count() == before + 3


def test_freezing_locks_the_available_money_in_whole_euros_and_numbers_the_plans(
    make_round, civil_servant
):
    round = make_round(S.REVIEW, costs=(3000, 1000, 2000), money="4321.99")
    round = services.freeze_round(actor=civil_servant, round=round)
    assert round.budget == Decimal("4321.00")
    assert ledger_selectors.available(round.fund) == Decimal("4321.99")
    # lower cost first
    assert list(round.plans.order_by("number").values_list("cost", flat=True)) == [
        Decimal("1000.00"), Decimal("2000.00"), Decimal("3000.00"),
    ]  # fmt: skip
    assert all(round.plans.values_list("locked", flat=True))


def test_freezing_with_too_few_feasible_plans_is_refused_and_nothing_changes(
    make_round, civil_servant
):
    round = make_round(S.REVIEW, costs=(1000, 2000), min_plans=3)
    with pytest.raises(ValidationError, match="Een stembiljet heeft er minstens 3"):
        services.freeze_round(actor=civil_servant, round=round)
    round.refresh_from_db()
    assert round.status == S.REVIEW and round.budget is None
    assert not round.plans.filter(locked=True).exists()


def test_a_frozen_round_cannot_be_edited(make_round, civil_servant):
    round = make_round(S.FROZEN)
    with pytest.raises(ValidationError, match="vastgezet"):
        services.update_round(actor=civil_servant, round=round, min_plans=1)
    with pytest.raises(ValidationError):
        services.review_plan(
            actor=civil_servant, plan=round.plans.first(), feasible=False, reason="Toch niet"
        )
    round.refresh_from_db()
    assert round.min_plans == 3
    assert round.plans.filter(feasibility=Plan.Feasibility.FEASIBLE).count() == 4


def test_only_a_civil_servant_runs_the_round(make_round, community_member, administrator):
    round = make_round(S.DRAFT)
    for actor in (community_member, administrator, None):
        with pytest.raises(ValidationError):
            services.open_ideas(actor=actor, round=round)
    round.refresh_from_db()
    assert round.status == S.DRAFT


def test_a_minimum_of_one_plan_is_said_in_the_singular(make_round, community_member):
    voting = make_round(S.VOTING, min_plans=1)  # it said "Kies minstens 1 plannen"
    with pytest.raises(ValidationError, match=r"'Kies minstens 1 plan\. U koos er 0\.'"):
        services.cast_ballot(actor=community_member, round=voting, plans=[])


def test_one_feasible_plan_is_said_in_the_singular(make_round, civil_servant):
    review = make_round(S.REVIEW, costs=(1000,), min_plans=3)  # "Er zijn 1 haalbare plannen"
    with pytest.raises(ValidationError, match=r"Er is 1 haalbaar plan\. Een stembiljet heeft er"):
        services.freeze_round(actor=civil_servant, round=review)


def test_a_resident_votes_once_with_at_least_the_minimum(make_round, community_member):
    round = make_round(S.VOTING)
    plans = list(round.plans.all())
    with pytest.raises(ValidationError, match="Kies minstens 3 plannen. U koos er 2."):
        services.cast_ballot(actor=community_member, round=round, plans=plans[:2])
    assert not Ballot.objects.exists()
    services.cast_ballot(actor=community_member, round=round, plans=plans[:3])
    with pytest.raises(ValidationError, match="al gestemd"):
        services.cast_ballot(actor=community_member, round=round, plans=plans)
    assert Ballot.objects.count() == 1 and BallotChoice.objects.count() == 3


def test_a_plan_of_another_round_is_refused(make_round, community_member):
    round = make_round(S.VOTING)
    other = make_round(S.VOTING, name="Ander")
    plans = list(round.plans.all()[:2]) + [other.plans.first()]
    with pytest.raises(ValidationError, match="alleen plannen van deze ronde"):
        services.cast_ballot(actor=community_member, round=round, plans=plans)
    assert not Ballot.objects.exists()


def test_voting_outside_the_window_or_the_area_is_refused(
    make_round, community_member, civil_servant
):
    round = make_round(S.VOTING)
    plans = list(round.plans.all())
    elsewhere = resident_of(AreaFactory(name="Elders", slug="elders"), civil_servant, "elders")
    with pytest.raises(ValidationError, match="Alleen geverifieerde bewoners"):
        services.cast_ballot(actor=elsewhere, round=round, plans=plans)
    after = round.voting_closes_at + datetime.timedelta(seconds=1)
    with freeze_time(after), pytest.raises(ValidationError, match="zolang het stemmen open is"):
        services.cast_ballot(actor=community_member, round=round, plans=plans)
    before = round.voting_opens_at - datetime.timedelta(seconds=1)
    with freeze_time(before), pytest.raises(ValidationError):
        services.cast_ballot(actor=community_member, round=round, plans=plans)
    assert not Ballot.objects.exists()


def test_an_unverified_account_cannot_vote(make_round, resident):
    round = make_round(S.VOTING)
    with pytest.raises(ValidationError):
        services.cast_ballot(actor=resident, round=round, plans=list(round.plans.all()))
    assert not Ballot.objects.exists()


def _vote_and_compute(round, area, civil_servant, choices):
    plans = {p.number: p for p in round.plans.all()}
    for i, numbers in enumerate(choices):
        voter = resident_of(area, civil_servant, f"kiezer{i}")
        services.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in numbers])
    with at_closing(round.voting_closes_at + HOUR):
        return services.compute_outcome(actor=civil_servant, round=round)


def test_the_outcome_is_computed_after_closing_and_stored(make_round, area, civil_servant):
    round = make_round(S.VOTING, costs=(1000, 2000, 3000, 4000), money="5000.00")
    with pytest.raises(ValidationError, match="als het stemmen gesloten is"):
        services.compute_outcome(actor=civil_servant, round=round)
    choices = [[1, 2, 3]] * 3 + [[2, 3, 4]] * 2 + [[1, 2, 4]]
    round = _vote_and_compute(round, area, civil_servant, choices)
    round.refresh_from_db()
    assert round.status == S.COMPUTED
    assert round.outcome["ballots"] == 6
    assert round.outcome["votes"] == {"1": 4, "2": 6, "3": 5, "4": 3}
    assert sum(round.plans.get(number=n).vote_cost for n in round.outcome["mes"]) <= 5000


def test_the_pb_export_read_back_by_pabutools_gives_the_same_winners(
    make_round, area, civil_servant, tmp_path
):
    round = make_round(S.VOTING, costs=(800, 1200, 400, 2500, 900), money="3000.00")
    choices = [[1, 3, 5], [2, 3, 5], [3, 4, 5], [1, 4, 5], [1, 2, 3], [2, 3, 4], [2, 4, 5]]
    round = _vote_and_compute(round, area, civil_servant, choices)
    path = tmp_path / "round.pb"
    path.write_text(exports.pabulib(round))
    instance, profile = parse_pabulib(str(path))
    again = compute_election(instance, profile)
    assert again.mes == round.outcome["mes"]
    assert again.greedy == round.outcome["greedy"]
    assert again.as_json() == round.outcome
    assert exports.pabulib(round) == path.read_text()  # the same bytes every time
    assert "kiezer" not in path.read_text()


def test_the_pb_export_carries_the_minimum_share_and_recomputes_to_the_same_outcome(
    make_round, area, civil_servant, tmp_path
):
    round = make_round(
        S.VOTING, costs=(800, 1200, 400, 2500, 900), money="3000.00", min_vote_percent=30
    )
    choices = [[1, 3, 5], [2, 3, 5], [3, 4, 5], [1, 3, 5], [1, 2, 3], [2, 3, 5], [3, 5, 1]]
    round = _vote_and_compute(round, area, civil_servant, choices)
    assert round.outcome["below_minimum"] == [4]  # chosen on 1 of 7 ballots, under 30%
    path = tmp_path / "round.pb"
    path.write_text(exports.pabulib(round))
    assert "min_vote_percent;30" in path.read_text()
    instance, profile = parse_pabulib(str(path))
    assert compute_pabulib(instance, profile).as_json() == round.outcome
    # Without the rule the same ballots give another outcome, so the file must carry it.
    assert compute_election(instance, profile).as_json() != round.outcome


def test_the_csv_has_one_row_per_ballot_and_no_voters(make_round, area, civil_servant):
    round = make_round(S.VOTING)
    round = _vote_and_compute(round, area, civil_servant, [[1, 2, 3], [2, 3, 4]])
    text = exports.ballots_csv(round)
    assert text.splitlines() == [
        "ballot,plan_1,plan_2,plan_3,plan_4", "1,1,1,1,0", "2,0,1,1,1",
    ]  # fmt: skip


def test_the_published_ballots_are_sorted_not_in_the_order_they_were_cast(
    make_round, area, civil_servant
):
    """Whoever knows who voted first (an officer at the table, a neighbour, a request log) must
    not find that person's ballot in the published files (insider review 2026-12-05, F9)."""
    round = make_round(S.VOTING)
    cast = [[2, 3, 4], [1, 3, 4], [1, 2, 3]]  # the first voter chose 2, 3 and 4
    round = _vote_and_compute(round, area, civil_servant, cast)
    assert exports.ballots_csv(round).splitlines()[1:] == ["1,1,1,1,0", "2,1,0,1,1", "3,0,1,1,1"]
    assert exports.pabulib(round).splitlines()[-3:] == ["1;1,2,3", "2;1,3,4", "3;2,3,4"]


def test_the_minimum_share_is_frozen_with_the_round_and_applied_when_computing(
    make_round, civil_servant, area
):
    round = make_round(S.REVIEW, costs=(1000, 1000, 1000), min_plans=1, min_vote_percent=20)
    with pytest.raises(ValidationError):
        services.update_round(actor=civil_servant, round=round, min_vote_percent=101)
    round = services.freeze_round(actor=civil_servant, round=round)
    with pytest.raises(ValidationError):
        services.update_round(actor=civil_servant, round=round, min_vote_percent=0)
    round = services.open_voting(actor=civil_servant, round=round)
    plans = {p.number: p for p in round.plans.all()}
    for i, numbers in enumerate([(1, 2)] * 5 + [(1,)] * 4 + [(3,)]):
        voter = resident_of(area, civil_servant, f"swiecie{i}")
        services.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in numbers])
    with at_closing(round.voting_closes_at + HOUR):
        round = services.compute_outcome(actor=civil_servant, round=round)
    round.refresh_from_db()
    assert round.min_vote_percent == 20
    assert round.outcome["mes"] == [1, 2] and round.outcome["below_minimum"] == [3]
