"""A frozen round's promise, kept by PostgreSQL (budgeting migration 0011): the fund's available
money is never less than what its rounds promised, whoever writes. The services refuse the same
with a message (tests/budgeting/test_promises_kept.py); these go past them."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from budgeting import services
from budgeting.models import Round
from governance import services as governance
from governance.models import Proposal
from sroi import ledger_selectors, promises
from sroi import services as ledger
from sroi.models import Allocation
from tests.budgeting.factories import round_in
from tests.governance.factories import adopted, voting
from tests.initiatives.factories import InitiativeFactory
from tests.integration.concurrency import run_together
from tests.integration.sql import as_role, refused_as
from tests.sroi.factories import funded

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def promised(voting_round):
    """The voting round promises all of its fund's € 5.000; € 1.000 more came in since."""
    round, area, actor = voting_round
    assert round.budget == Decimal("5000.00")
    funded("1000.00", fund=round.fund)
    return round, area, actor


def _adopted_allocation(fund, amount: str) -> Proposal:
    return adopted(voting(
        kind=Proposal.Kind.FUND_ALLOCATION, fund=fund, initiative=InitiativeFactory(),
        amount=Decimal(amount), purpose="Buurtkeuken",
    ))  # fmt: skip


def test_an_allocation_of_promised_money_is_refused_at_commit_past_the_services(
    promised, monkeypatch
):
    """A shell with the application's code changed (the rounds' promises not registered): the
    ledger's service books it, PostgreSQL refuses it at commit. Old code: booked."""
    round, _area, actor = promised
    proposal = _adopted_allocation(round.fund, "1500.00")
    monkeypatch.setattr(promises, "_sources", {})
    refusal = "less than the 5000.00 its budget rounds promised"
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
        ledger.allocate(
            fund=round.fund, initiative=proposal.initiative, amount=proposal.amount,
            purpose="Buurtkeuken", decision_id=proposal.decision.pk,
            decision_reference=proposal.decision.reference, actor=actor,
        )  # fmt: skip
    assert not Allocation.objects.exists()
    # the free € 1.000 is booked (the database's rule counts the same as the services')
    monkeypatch.undo()
    fits = _adopted_allocation(round.fund, "1000.00")
    governance.execute_decision(decision=fits.decision, actor=actor)
    assert Allocation.objects.get().amount == Decimal("1000.00")


def test_a_round_frozen_by_sql_promises_no_money_another_round_promised(promised, app_role):
    """Round B, its plans reviewed while the money was free, frozen by SQL with € 3.000 of
    which € 1.000 is free. Old code: written."""
    round, area, actor = promised
    second = round_in(Round.Status.REVIEW, area=area, civil_servant=actor,
                      author=round.plans.first().author, costs=(100, 200, 300),
                      name="Ronde B", fund=round.fund)  # fmt: skip
    freeze = (  # as freezing writes it, with the round's area as its electorate
        "UPDATE budgeting_round SET status = 'frozen', budget = %s, frozen_at = now(), "
        "electorate_area_ids = jsonb_build_array(area_id), vote_requirement = '{}' WHERE id = %s"
    )
    assert "its budget rounds promised" in refused_as(app_role, freeze, ["3000.00", second.pk])
    second.refresh_from_db()
    assert second.status == Round.Status.REVIEW
    # what is free can be promised, by SQL too
    as_role(app_role, freeze, ["1000.00", second.pk])
    second.refresh_from_db()
    assert (second.status, second.budget) == (Round.Status.FROZEN, Decimal("1000.00"))
    # and then nothing is free: the service says so before the database has to
    third = round_in(Round.Status.REVIEW, area=area, civil_servant=actor,
                     author=round.plans.first().author, costs=(100, 200, 300),
                     name="Ronde C", fund=funded("500.00"))  # fmt: skip
    assert services.budget_now(third) == Decimal("500.00")
    assert services.budget_now(second) == Decimal("1000.00")


def test_freezing_a_round_and_allocating_at_the_same_moment_never_spend_one_euro_twice(
    voting_round,
):
    """Round B freezes (all the free money: € 5.000) while the board's € 3.000 is carried out
    from the same fund: one waits for the other on the fund's row, so either B gets what the
    allocation left, or B promises everything and the allocation is refused."""
    round, area, actor = voting_round
    fund = funded("5000.00")
    second = round_in(Round.Status.REVIEW, area=area, civil_servant=actor,
                      author=round.plans.first().author, costs=(100, 200, 300),
                      name="Ronde B", fund=fund)  # fmt: skip
    proposal = _adopted_allocation(fund, "3000.00")
    results = run_together(2, lambda i: (
        services.freeze_round(actor=actor, round=Round.objects.get(pk=second.pk)) if i == 0
        else governance.execute_decision(decision=proposal.decision, actor=actor)
    ))  # fmt: skip
    second.refresh_from_db()
    assert second.status == Round.Status.FROZEN, results[0]
    if Allocation.objects.filter(fund=fund).exists():  # the allocation came first
        assert second.budget == Decimal("2000.00")
    else:  # the round came first; the allocation was refused, with why
        assert second.budget == Decimal("5000.00")
        assert "beloofd aan bewoners" in " ".join(results[1].messages)
    assert ledger_selectors.available(fund) >= second.budget
