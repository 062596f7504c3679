"""The demo's budget round: this year's round is open, and the demo members can vote in it."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from budgeting.demo import THIS_YEAR_TITLE
from budgeting.models import Ballot, Plan, Round
from governance.officing.demo import LOCATION, OFFICERS
from initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def test_this_years_round_is_open_for_the_demo_members_and_seeding_twice_adds_nothing():
    call_command("seed_demo", verbosity=0, force=True)
    call_command("seed_demo", verbosity=0, force=True)
    round = Round.objects.get(title=THIS_YEAR_TITLE.format(year=timezone.localdate().year))
    assert round.status == Round.Status.VOTING and round.budget > 0
    assert round.plans.filter(number__isnull=False).count() == 6
    unfeasible = round.plans.get(feasibility=Plan.Feasibility.UNFEASIBLE)
    assert unfeasible.number is None and unfeasible.review_reason
    # nothing on the ballot costs more than the whole budget (review 2026-12-06, finding 8)
    assert all(p.vote_cost <= round.budget for p in round.plans.exclude(number=None))
    for username in ("bewoner", "jongere"):
        assert User.objects.get(username=username).has_perm("budgeting.vote", round)
    assert not User.objects.get(username="ambtenaar").has_perm("budgeting.vote", round)
    # two residents without a screen voted on paper at the Community Home
    paper = Ballot.objects.filter(round=round).order_by("pk")
    assert [b.channel for b in paper] == [Ballot.Channel.PAPER] * 2
    assert {b.voter.username for b in paper} == {"demo-kiezer-gerda", "demo-kiezer-kwame"}
    assert all(b.location.name == LOCATION and b.entered_by.username == OFFICERS[0][0]
               for b in paper)  # fmt: skip


def test_last_years_round_was_adopted_as_one_package_and_paid_in_two_tranches():
    from governance.models import Proposal
    from sroi import demo as sroi_demo
    from sroi.models import Allocation, Transaction

    call_command("seed_demo", verbosity=0, force=True)
    call_command("seed_demo", verbosity=0, force=True)
    last_year = sroi_demo.last_year(1, 1).year
    round = Round.objects.get(title=f"Buurtbudget Zuidoost {last_year}")
    assert round.status == Round.Status.COMMITTED
    assert timezone.localtime(round.computed_at).year == last_year
    assert round.proposal.kind == Proposal.Kind.FUND_PACKAGE
    assert round.proposal.status == Proposal.Status.EXECUTED
    decision = round.proposal.decision
    assert decision.reference.startswith(f"BK-{last_year}-")
    allocations = Allocation.objects.filter(decision_id=decision.pk).order_by("decision_line")
    assert [a.decision_line for a in allocations] == round.outcome["mes"]
    for allocation in allocations:
        tranches = allocation.transactions.filter(kind=Transaction.Kind.DISBURSEMENT)
        assert sorted(t.date.year for t in tranches) == [last_year, last_year + 1]
    assert sum(a.amount for a in allocations) <= round.budget


def test_the_plans_last_years_round_registered_were_in_the_register_that_year():
    # The review of 2026-12-06, finding 3: registered on the day of seeding, they were missing
    # from last year's register while last year's report showed the money they got.
    from reports.content import initiatives_content
    from sroi import demo as sroi_demo
    from sroi.models import Allocation

    call_command("seed_demo", verbosity=0, force=True)
    last_year = sroi_demo.last_year(1, 1).year
    round = Round.objects.get(title=f"Buurtbudget Zuidoost {last_year}")
    decision = round.proposal.decision
    paid = {a.initiative for a in Allocation.objects.filter(decision_id=decision.pk)}
    registered_by_the_round = {plan.initiative for plan in round.plans.exclude(initiative=None)}
    assert len(registered_by_the_round) >= 5
    for initiative in registered_by_the_round:
        assert timezone.localtime(initiative.created_at).year == last_year, initiative
        assert initiative.created_at <= decision.executed_at
        assert initiative.history.earliest("history_date").history_date <= decision.executed_at
    figures = initiatives_content(year=last_year, areas=None)
    in_register = Initiative.objects.filter(created_at__year__lte=last_year).count()
    assert figures.total == in_register and figures.total >= len(paid | registered_by_the_round)
    assert figures.new_in_year >= len(registered_by_the_round)
