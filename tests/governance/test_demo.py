"""The demo's money trail: contract → fund → decision → allocation → tranches → initiative."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from governance.demo import ALLOCATION_TITLE
from governance.models import Decision, Proposal
from sroi.models import Allocation, Transaction

pytestmark = pytest.mark.django_db


def test_the_demo_allocation_comes_from_the_adopted_decision_once():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    last_year = timezone.localdate().year - 1
    proposal = Proposal.objects.get(title=ALLOCATION_TITLE)
    assert proposal.status == Proposal.Status.EXECUTED
    assert proposal.is_allocation and proposal.amount == Decimal("120000.00")
    decision = Decision.objects.get(proposal=proposal)
    assert decision.adopted
    assert timezone.localtime(decision.decided_at).year == last_year
    assert decision.reference.startswith(f"BK-{last_year}-")
    # one allocation, linked both ways, dated after the decision in the same year
    allocation = Allocation.objects.get(decision_id=decision.pk)  # the budget round has its own
    assert decision.allocation == allocation
    assert (allocation.decision_id, allocation.decision_reference) == (
        decision.pk,
        decision.reference,
    )
    assert allocation.initiative.slug == "community-home-24-7"
    assert allocation.date.year == last_year
    assert allocation.date >= timezone.localdate(decision.decided_at)
    # the ledger carries the decision's reference on the allocation and both tranches
    trail = list(
        Transaction.objects.filter(allocation=allocation)
        .order_by("date")
        .values_list("kind", "date", "decision_reference")
    )
    assert [kind for kind, _day, _ref in trail] == [
        Transaction.Kind.ALLOCATION,
        Transaction.Kind.DISBURSEMENT,
        Transaction.Kind.DISBURSEMENT,
    ]
    assert {ref for _kind, _day, ref in trail} == {decision.reference}
    assert [day.year for _kind, day, _ref in trail] == [last_year, last_year, last_year + 1]
    # the money came in before it went out: contributions of the museum contract last year
    contributions = Transaction.objects.filter(
        kind=Transaction.Kind.SROI_CONTRIBUTION,
        date__lt=allocation.date,
        contract__reference="AMS-2024-0001",
    )
    assert contributions.exists()
    assert all(day <= timezone.localdate() for _k, day, _r in trail)
    assert isinstance(allocation.date, datetime.date)
