"""A budget round's course, its plans and its ballots, kept by the database against SQL of the
application's own role (insider review 2026-12-05, docs/reviews/2026-12-05-budget.md): each of
these was accepted before (budgeting migration 0006, `budgeting/models/round_rules.py`)."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone

from budgeting import outcome as rule
from budgeting import services
from budgeting.models import BallotChoice, Round
from governance import services as governance
from governance.models import Choice
from tests.accounts.factories import AreaFactory
from tests.budgeting.factories import HOUR, resident_of, round_in
from tests.clock import at_closing
from tests.governance.factories import board, decided
from tests.initiatives.factories import InitiativeFactory
from tests.integration.sql import committed, refused, sql_ballot

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def vote(round, area, actor, name, numbers):
    plans = {p.number: p for p in round.plans.exclude(number=None)}
    voter = resident_of(area, actor, name)
    return services.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in numbers])


def test_a_plan_stays_in_its_round_and_changes_only_while_the_round_takes_plans(voting_round):
    round, area, actor = voting_round
    other_area = AreaFactory(name="Elders", slug="elders-regels")
    other = round_in(
        Round.Status.IDEAS, area=other_area, civil_servant=actor,
        author=resident_of(other_area, actor, "indiener-elders"), costs=(500,), name="Elders",
    )  # fmt: skip
    smuggled = other.plans.get()
    # moved into the voting round, numbered and locked: on its ballot before
    assert "stays in its round" in refused(
        "UPDATE budgeting_plan SET round_id = %s, number = 5, feasibility = 'feasible',"
        " locked = true WHERE id = %s",
        (round.pk, smuggled.pk),
    )
    assert round.plans.count() == 4
    # a plan of a round that takes plans still changes (the review)
    committed("UPDATE budgeting_plan SET title = 'Beter plan' WHERE id = %s", (smuggled.pk,))
    # a funded plan gets an initiative only when its round goes to the board
    mine = InitiativeFactory(name="Stichting Vriendjes")
    plan1 = round.plans.get(number=1)
    assert "only a funded plan" in refused(
        "UPDATE budgeting_plan SET initiative_id = %s WHERE id = %s", (mine.pk, plan1.pk)
    )


def test_a_choice_comes_with_its_ballot_of_a_plan_of_its_round(voting_round):
    round, area, actor = voting_round
    ballot = vote(round, area, actor, "kiezer-keuze", (1, 2, 3))
    plan4 = round.plans.get(number=4)
    # a choice added to a cast ballot afterwards: it changed the outcome before
    assert "written with its ballot" in refused(
        "INSERT INTO budgeting_ballotchoice (ballot_id, plan_id) VALUES (%s, %s)",
        (ballot.pk, plan4.pk),
    )
    # a plan of another round, even on a ballot written in the same transaction
    other_area = AreaFactory(name="Anders", slug="anders-regels")
    other = round_in(
        Round.Status.VOTING, area=other_area, civil_servant=actor,
        author=resident_of(other_area, actor, "indiener-anders"), name="Anders",
    )  # fmt: skip
    foreign = other.plans.get(number=1)
    voter = resident_of(area, actor, "kiezer-vreemd")
    with pytest.raises(DatabaseError, match="of a plan of its round"):
        sql_ballot(round, voter, [foreign.pk])
    # a ballot written with its choices in one transaction is taken
    mine = sql_ballot(round, voter, list(round.plans.filter(number__lte=3).values_list("pk")))
    assert BallotChoice.objects.filter(ballot_id=mine).count() == 3
    assert BallotChoice.objects.filter(ballot=ballot).count() == 3


def test_a_round_moves_forward_only_with_what_each_step_needs(voting_round):
    round, area, actor = voting_round
    vote(round, area, actor, "kiezer-stap", (1, 2, 3))
    # no outcome written by hand, nor a step skipped
    assert "only when voting ends" in refused(
        "UPDATE budgeting_round SET computed_at = now() WHERE id = %s", (round.pk,)
    )
    assert "next step only" in refused(
        "UPDATE budgeting_round SET status = 'committed' WHERE id = %s", (round.pk,)
    )
    with at_closing(round.voting_closes_at + HOUR):
        round = services.compute_outcome(actor=actor, round=round)
    # a computed round never votes again; it is not committed or rejected without the board
    for status in ("voting", "committed", "rejected", "frozen"):
        assert "next step only" in refused(
            "UPDATE budgeting_round SET status = %s WHERE id = %s", (status, round.pk)
        )
    assert "with its package" in refused(
        "UPDATE budgeting_round SET status = 'adoption' WHERE id = %s", (round.pk,)
    )
    assert "only with the rejection" in refused(
        "UPDATE budgeting_round SET rejection_reason = 'zomaar' WHERE id = %s", (round.pk,)
    )
    body, voters = board(community=3, institution=2)
    round = services.submit_to_board(actor=actor, round=round, body=body)
    assert round.status == Round.Status.ADOPTION
    assert "was carried out" in refused(
        "UPDATE budgeting_round SET status = 'committed' WHERE id = %s", (round.pk,)
    )
    assert "the board rejected it" in refused(
        "UPDATE budgeting_round SET status = 'rejected', rejection_reason = 'nee' WHERE id = %s",
        (round.pk,),
    )
    # the board rejects: then the round is rejected with the reason, which stays as written
    proposal = governance.start_discussion(proposal=round.proposal, actor=None)
    proposal = governance.open_voting(
        proposal=proposal, closes_at=timezone.now() + timedelta(hours=1), actor=None
    )
    decided(proposal, dict.fromkeys(voters["community"] + voters["institution"], Choice.AGAINST))
    round = services.settle_round(actor=actor, round=round, reason="Te duur.")
    assert round.status == Round.Status.REJECTED
    for sql in (
        "UPDATE budgeting_round SET rejection_reason = 'Iets anders.' WHERE id = %s",
        "UPDATE budgeting_round SET rejection_reason = '' WHERE id = %s",
        "UPDATE budgeting_round SET status = 'committed' WHERE id = %s",
        "UPDATE budgeting_round SET status = 'voting' WHERE id = %s",
    ):
        refused(sql, (round.pk,))
    round.refresh_from_db()
    assert (round.status, round.rejection_reason) == (Round.Status.REJECTED, "Te duur.")


def test_an_outcome_the_ballots_do_not_give_does_not_go_to_the_board(voting_round):
    """The database cannot compute equal shares; the service computes the outcome again from
    the stored ballots before it makes the package."""
    round, area, actor = voting_round
    for i in range(3):
        vote(round, area, actor, f"kiezer-vals-{i}", (1, 2, 3))
    budget, plans, _ballots = services.round_election(round)
    forged = rule.compute(budget, plans, [[4]] * 3).as_json()  # nobody chose plan 4
    # after closing time (before it, the database refuses: test_closing_time.py)
    with at_closing(round.voting_closes_at + HOUR):
        committed(
            "UPDATE budgeting_round SET status = 'computed', computed_at = now(), outcome = %s"
            " WHERE id = %s",
            (json.dumps(forged), round.pk),
        )
    body, _voters = board(community=3, institution=2)
    round.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        services.submit_to_board(actor=actor, round=round, body=body)
    assert raised.value.code == "outcome_differs"
    round.refresh_from_db()
    assert round.status == Round.Status.COMPUTED and round.proposal_id is None


def test_a_round_is_not_frozen_with_a_plan_on_its_ballot_above_its_budget(voting_round):
    """Review 2026-12-06, finding 8: the service leaves such a plan off the ballot; SQL that
    numbers it anyway cannot freeze the round (budgeting migration 0010)."""
    _round, area, actor = voting_round
    round = round_in(
        Round.Status.REVIEW, area=area, civil_servant=actor,
        author=resident_of(area, actor, "indiener-budget"), costs=(1000, 2000, 3000),
        name="Boven budget",
    )  # fmt: skip
    plans = list(round.plans.order_by("cost"))
    for number, plan in enumerate(plans, start=1):
        committed("UPDATE budgeting_plan SET number = %s WHERE id = %s", (number, plan.pk))
    committed("UPDATE budgeting_plan SET reviewed_cost = 6000 WHERE id = %s", (plans[2].pk,))
    freeze = (
        "UPDATE budgeting_round SET status = 'frozen', budget = 5000, frozen_at = now(),"
        " electorate_area_ids = %s, vote_requirement = '{}' WHERE id = %s"
    )
    params = (json.dumps([area.pk]), round.pk)
    assert "costs at most the round's budget" in refused(freeze, params)
    # within the budget, the same SQL freezes it
    committed("UPDATE budgeting_plan SET reviewed_cost = 5000 WHERE id = %s", (plans[2].pk,))
    committed(freeze, params)
    round.refresh_from_db()
    assert round.status == Round.Status.FROZEN
