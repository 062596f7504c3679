"""Budget rounds on PostgreSQL: one ballot per resident under concurrency, and the database
itself refuses changing a frozen round's rules, plans, ballots or computed outcome, whoever asks
(a civil servant's script, an administrator's ORM call, raw SQL)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import Role
from budgeting import services
from budgeting.models import Ballot, BallotChoice, Plan, Round
from governance.models import Choice
from tests.accounts.factories import AreaFactory, UserFactory
from tests.budgeting.factories import HOUR, resident_of, round_in
from tests.clock import at_closing

from .concurrency import run_together

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _refused(sql: str, params=()) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_one_resident_voting_eight_times_at_once_casts_one_ballot(voting_round):
    round, area, actor = voting_round
    voter = resident_of(area, actor, "snelle-stemmer")
    plans = list(round.plans.all())

    results = run_together(
        8, lambda i: services.cast_ballot(actor=voter, round=round, plans=plans[: 3 + i % 2])
    )
    assert sum(isinstance(r, Ballot) for r in results) == 1
    errors = [r for r in results if not isinstance(r, Ballot)]
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert Ballot.objects.filter(round=round, voter=voter).count() == 1
    assert BallotChoice.objects.filter(ballot__voter=voter).count() in (3, 4)


def test_the_database_refuses_changing_a_frozen_round(voting_round):
    round, area, actor = voting_round
    plan = round.plans.first()
    for sql in (
        "UPDATE budgeting_round SET budget = budget + 1000",
        "UPDATE budgeting_round SET min_plans = 1",
        "UPDATE budgeting_round SET tie_break = 'earlier'",
        "UPDATE budgeting_round SET status = 'review'",
        "UPDATE budgeting_round SET voting_closes_at = voting_closes_at + interval '1 day'",
        "UPDATE budgeting_round SET fund_id = fund_id, area_id = area_id, frozen_at = NULL",
        "DELETE FROM budgeting_round",
        "UPDATE budgeting_plan SET cost = 1",
        "UPDATE budgeting_plan SET number = number + 10",
        "UPDATE budgeting_plan SET locked = false",
        "DELETE FROM budgeting_plan",
    ):
        _refused(sql)
    _refused(
        "INSERT INTO budgeting_plan (round_id, title, description, cost, author_id, feasibility,"
        " review_reason, locked, created_at) VALUES (%s, 'Laat', 'x', 10, %s, 'feasible', '',"
        " false, now())",
        (round.pk, actor.pk),
    )
    # an administrator's ORM call goes the same way
    with pytest.raises(DatabaseError), transaction.atomic():
        Round.objects.filter(pk=round.pk).update(min_plans=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(reviewed_cost=1)
    round.refresh_from_db()
    assert round.min_plans == 3 and round.status == Round.Status.VOTING
    # the status still moves on: the window is not a rule change
    assert Plan.objects.filter(round=round).count() == 4


def test_ballots_are_append_only_and_only_while_voting(voting_round):
    round, area, actor = voting_round
    voter = resident_of(area, actor, "kiezer-pg")
    services.cast_ballot(actor=voter, round=round, plans=list(round.plans.all())[:3])
    for sql in (
        "UPDATE budgeting_ballot SET voter_id = voter_id",
        "DELETE FROM budgeting_ballot",
        "UPDATE budgeting_ballotchoice SET plan_id = plan_id",
        "DELETE FROM budgeting_ballotchoice",
    ):
        _refused(sql)
    frozen = round_in(
        Round.Status.FROZEN, area=area, civil_servant=actor, author=voter, name="Nog dicht"
    )
    _refused(
        "INSERT INTO budgeting_ballot (round_id, voter_id, cast_at) VALUES (%s, %s, now())",
        (frozen.pk, actor.pk),
    )
    assert Ballot.objects.count() == 1


def test_a_computed_outcome_is_never_rewritten(voting_round):
    round, area, actor = voting_round
    voter = resident_of(area, actor, "kiezer-uitslag")
    services.cast_ballot(actor=voter, round=round, plans=list(round.plans.all())[:3])
    with at_closing(round.voting_closes_at + HOUR):
        round = services.compute_outcome(actor=actor, round=round)
    _refused("UPDATE budgeting_round SET outcome = '{}'::jsonb")
    _refused("UPDATE budgeting_round SET computed_at = %s", (timezone.now(),))
    round.refresh_from_db()
    assert round.outcome["ballots"] == 1


def _adopted_package(voting_round, *, execute: bool):
    """The round computed, put to a community board as a package and adopted (and carried
    out when `execute`)."""
    from datetime import timedelta

    from governance import services as governance
    from tests.governance.factories import board, decided

    round, area, actor = voting_round
    plans = {p.number: p for p in round.plans.all()}
    for i in range(3):
        voter = resident_of(area, actor, f"kiezer-pakket{i}")
        services.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in (1, 2, 3)])
    with at_closing(round.voting_closes_at + HOUR):
        round = services.compute_outcome(actor=actor, round=round)
    body, voters = board(community=3, institution=2)
    round = services.submit_to_board(actor=actor, round=round, body=body)
    proposal = governance.start_discussion(proposal=round.proposal, actor=None)
    proposal = governance.open_voting(
        proposal=proposal, closes_at=timezone.now() + timedelta(hours=1), actor=None
    )
    proposal = decided(
        proposal, dict.fromkeys(voters["community"] + voters["institution"], Choice.FOR)
    )
    decision = proposal.decision
    if execute:
        decision = governance.execute_decision(decision=decision, actor=actor)
    return round, decision


INSERT_ALLOCATION = (
    "INSERT INTO sroi_allocation (fund_id, initiative_id, amount, purpose, decision_reference,"
    " decision_id, decision_line, date, status, created_at) VALUES (%s, %s, %s, 'x', 'BK',"
    " %s, %s, current_date, 'open', now())"
)


def test_a_package_is_carried_out_once_and_its_lines_never_change(voting_round):
    from sroi.models import Allocation

    round, decision = _adopted_package(voting_round, execute=True)
    allocations = list(Allocation.objects.filter(decision_id=decision.pk).order_by("decision_line"))
    assert [a.decision_line for a in allocations] == round.outcome["mes"]
    first = allocations[0]
    # the same line again (the unique decision and line), a line the package does not have
    for line in (first.decision_line, 99):
        _refused(INSERT_ALLOCATION, (first.fund_id, first.initiative_id, first.amount,
                                     decision.pk, line))  # fmt: skip
    for sql in ("UPDATE governance_proposalline SET amount = amount + 1",
                "DELETE FROM governance_proposalline"):  # fmt: skip
        _refused(sql)
    _refused(
        "INSERT INTO governance_proposalline (proposal_id, position, initiative_id, amount,"
        " purpose, source) VALUES (%s, 50, %s, 10, 'extra', '')",
        (round.proposal_id, first.initiative_id),
    )
    # a plan's initiative, once set for the package, stays; so does the round's proposal
    _refused("UPDATE budgeting_plan SET initiative_id = NULL WHERE initiative_id IS NOT NULL")
    _refused("UPDATE budgeting_round SET proposal_id = NULL")
    assert Allocation.objects.filter(decision_id=decision.pk).count() == len(allocations)


def test_an_allocation_must_be_exactly_a_line_of_the_adopted_package(voting_round):
    """As a DBA would: mark the adopted decision carried out and write allocations by hand.
    Only the exact line (fund, initiative, amount) passes the check at commit."""
    from governance.models import ProposalLine
    from sroi.models import Allocation

    round, decision = _adopted_package(voting_round, execute=False)
    line = ProposalLine.objects.filter(proposal=round.proposal).order_by("position").first()
    execute = "UPDATE governance_decision SET executed_at = now() WHERE id = %s"
    wrong = (
        (round.fund_id, line.initiative_id, line.amount + 1, decision.pk, line.position),
        (round.fund_id, line.initiative_id, line.amount, decision.pk, line.position + 100),
    )
    for values in wrong:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(execute, (decision.pk,))
            cursor.execute(INSERT_ALLOCATION, values)
    assert not Allocation.objects.exists()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(execute, (decision.pk,))
        cursor.execute(INSERT_ALLOCATION, (round.fund_id, line.initiative_id, line.amount,
                                           decision.pk, line.position))  # fmt: skip
    assert Allocation.objects.get().decision_line == line.position


def test_one_resident_online_and_on_paper_at_two_tables_at_once_casts_one_ballot(voting_round):
    """Issue 14 with the Community Home: the resident votes online while two officers at two
    tables enter a paper ballot for them; the database keeps one ballot, whatever its channel."""
    import datetime

    from governance import officing
    from governance.models import CheckIn, OfficerShift
    from tests.accounts.factories import verified_in_person

    round, area, actor = voting_round
    voter = resident_of(area, actor, "overal-stemmer")
    now = timezone.now()
    tables = []
    for name in ("Huis Noord", "Huis Zuid"):
        home = officing.create_location(name=name, address=f"{name} 1", actor=actor)
        officer = verified_in_person(UserFactory(username=f"officier-{home.slug}"))
        officing.add_shift(
            officer=officer, location=home, task=OfficerShift.Task.CHECK_IN,
            starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=2),
            appointed_by="Besluit BK-9", actor=actor,
        )  # fmt: skip
        tables.append((home, officer))
    plans = list(round.plans.order_by("number"))

    def work(i: int):
        if i % 3 == 0:
            return services.cast_ballot(actor=voter, round=round, plans=plans[:3])
        home, officer = tables[i % 3 - 1]
        return services.enter_paper_ballot(
            actor=officer, round=round, location=home, voter=voter, plans=plans[1:4],
            channel=Ballot.Channel.PAPER, identity_check=CheckIn.IdentityCheck.ID_DOCUMENT,
        )  # fmt: skip

    results = run_together(9, work)
    assert sum(isinstance(r, Ballot) for r in results) == 1
    errors = [r for r in results if not isinstance(r, Ballot)]
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert Ballot.objects.filter(round=round, voter=voter).count() == 1
    assert BallotChoice.objects.filter(ballot__voter=voter).count() == 3


def test_the_database_keeps_the_channel_the_minimum_share_and_the_board_s_reason(voting_round):
    round, area, actor = voting_round
    voter = resident_of(area, actor, "kanaal-pg")
    ballot = services.cast_ballot(actor=voter, round=round, plans=list(round.plans.all())[:3])
    assert ballot.channel == Ballot.Channel.ONLINE
    # a paper ballot without the officer who entered it, where and in which shift
    other = resident_of(area, actor, "zonder-officier")
    _refused(
        "INSERT INTO budgeting_ballot (round_id, voter_id, cast_at, channel, identity_check)"
        " VALUES (%s, %s, now(), %s, 'id_document')",
        (round.pk, other.pk, Ballot.Channel.PAPER),
    )
    # the Świecie minimum is a frozen rule
    _refused("UPDATE budgeting_round SET min_vote_percent = 50")
    # the board's written reason comes only with the rejection (never rewritten afterwards:
    # test_budget_round_rules.py), not on a round that votes
    _refused("UPDATE budgeting_round SET rejection_reason = 'Te duur.'")
    round.refresh_from_db()
    assert round.rejection_reason == "" and round.min_vote_percent == 0


@pytest.mark.parametrize("attempt", range(4))
def test_a_review_racing_the_freeze_lands_before_it_or_is_refused(attempt):
    """A civil servant reviews a plan while another freezes the round. The review takes the
    round's lock (the service asks its rule of the locked row) and reads it once: either it
    lands before the freeze, which then counts it, or the frozen round refuses it with its own
    message; never a database error, never a frozen plan changed afterwards."""
    actor = UserFactory(username=f"ambtenaar-race{attempt}", roles=[Role.CIVIL_SERVANT])
    area = AreaFactory(name=f"Race {attempt}", slug=f"race-{attempt}")
    author = resident_of(area, actor, f"indiener-race{attempt}")
    round = round_in(Round.Status.REVIEW, area=area, civil_servant=actor, author=author)
    plan = round.plans.order_by("pk").first()

    def work(i: int):
        if i == 0:
            return services.review_plan(
                actor=actor, plan=plan, feasible=False, reason="Kan hier niet."
            )
        return services.freeze_round(actor=actor, round=round)

    results = run_together(2, work)
    assert not any(isinstance(r, Exception) and not isinstance(r, ValidationError) for r in results)
    assert not isinstance(results[1], Exception)  # three feasible plans remain either way
    round.refresh_from_db()
    plan.refresh_from_db()
    assert round.status == Round.Status.FROZEN
    if isinstance(results[0], ValidationError):  # the freeze came first
        assert plan.feasibility == Plan.Feasibility.FEASIBLE and plan.number is not None
    else:  # the review came first, and the freeze counted it
        assert plan.feasibility == Plan.Feasibility.UNFEASIBLE and plan.number is None
    numbered = round.plans.exclude(number=None)
    assert all(p.feasibility == Plan.Feasibility.FEASIBLE for p in numbered)
    assert numbered.count() == round.plans.filter(feasibility=Plan.Feasibility.FEASIBLE).count()
