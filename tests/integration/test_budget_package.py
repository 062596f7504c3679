"""A budget round's package is exactly its outcome, in the database too (budgeting migration
0008; insider review 2026-12-05, F6b in docs/reviews/2026-12-05-budget.md): before, a line added
by the application's own role to the draft package was adopted with it and paid."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from budgeting import services
from governance import services as governance
from governance.models import Choice, Proposal, ProposalLine
from sroi.models import Allocation
from tests.budgeting.factories import HOUR, resident_of
from tests.clock import at_closing
from tests.governance.factories import board, decided
from tests.initiatives.factories import InitiativeFactory
from tests.integration.sql import refused

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def computed(voting_round):
    """The voting round with three ballots, computed."""
    round, area, actor = voting_round
    plans = {p.number: p for p in round.plans.exclude(number=None)}
    for i in range(3):
        voter = resident_of(area, actor, f"kiezer-pakket-{i}")
        services.cast_ballot(actor=voter, round=round, plans=[plans[n] for n in (1, 2, 3)])
    with at_closing(round.voting_closes_at + HOUR):
        round = services.compute_outcome(actor=actor, round=round)
    return round, actor


@pytest.fixture
def at_the_board(computed):
    """The computed round put to a board of 3 + 2."""
    round, actor = computed
    body, voters = board(community=3, institution=2)
    round = services.submit_to_board(actor=actor, round=round, body=body)
    return round, actor, voters


def test_a_package_is_its_round_s_outcome_and_nothing_else(at_the_board):
    round, actor, voters = at_the_board
    package = round.proposal
    lines = list(package.lines.order_by("position").values_list("position", "amount"))
    funded = round.plans.filter(number__in=round.outcome["mes"]).order_by("number")
    assert lines == [(plan.number, plan.vote_cost) for plan in funded]
    assert package.amount == sum(amount for _, amount in lines)
    friend = InitiativeFactory(name="Stichting Vriendjes")
    # a line added to the draft package, as the review did: refused at commit
    assert "not the outcome" in refused(
        "INSERT INTO governance_proposalline (proposal_id, position, initiative_id, amount,"
        " purpose, source) VALUES (%s, 99, %s, 250, 'Extra', '')",
        (package.pk, friend.pk),
    )
    # the package's amount raised, or the package made a single allocation to a friend
    assert "not the outcome" in refused(
        "UPDATE governance_proposal SET amount = amount + 250 WHERE id = %s", (package.pk,)
    )
    assert "stays a package" in refused(
        "UPDATE governance_proposal SET kind = 'fund_allocation', initiative_id = %s WHERE id = %s",
        (friend.pk, package.pk),
    )
    # a package of its own, with a line, that no round made
    with pytest.raises(DatabaseError, match="made by a budget round"), transaction.atomic():
        other = Proposal.objects.create(
            title="Pakket", text="-", kind=Proposal.Kind.FUND_PACKAGE,
            method=Proposal.Method.BOARD, body=package.body, fund=package.fund,
            amount=250, purpose="Pakket",
        )  # fmt: skip
        ProposalLine.objects.create(
            proposal=other, position=1, initiative=friend, amount=250, purpose="Extra"
        )
    assert not Proposal.objects.filter(title="Pakket").exists()
    assert list(package.lines.order_by("position").values_list("position", "amount")) == lines
    # the board adopts what the residents chose; carrying it out pays exactly those lines
    package = governance.start_discussion(proposal=package, actor=None)
    package = governance.open_voting(
        proposal=package, closes_at=timezone.now() + timedelta(hours=1), actor=None
    )
    package = decided(
        package, dict.fromkeys(voters["community"] + voters["institution"], Choice.FOR)
    )
    decision = governance.execute_decision(decision=package.decision, actor=actor)
    paid = Allocation.objects.filter(decision_id=decision.pk).order_by("decision_line")
    assert [(a.decision_line, a.amount) for a in paid] == lines
    assert friend.pk not in {a.initiative_id for a in paid}


def test_a_funded_plan_gets_its_initiative_only_when_its_round_goes_to_the_board(computed):
    round, actor = computed
    friend = InitiativeFactory(name="Stichting Vriendjes")
    plan = round.plans.get(number=round.outcome["mes"][0])
    assert plan.initiative_id is None
    # given one by SQL while the round waits for the civil servant: refused at commit, so the
    # civil servant's step does not put that initiative in the package
    assert "step that puts its round to the board" in refused(
        "UPDATE budgeting_plan SET initiative_id = %s WHERE id = %s", (friend.pk, plan.pk)
    )
    body, _voters = board(community=3, institution=2)
    round = services.submit_to_board(actor=actor, round=round, body=body)
    plan.refresh_from_db()
    assert plan.initiative_id not in (None, friend.pk)
    assert not round.proposal.lines.filter(initiative=friend).exists()
