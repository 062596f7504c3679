"""The test factories book what a test asks: an amount written as text is that amount, not a
stand-in the database would later find does not match (tests/sroi/factories.py)."""

from decimal import Decimal

import pytest

from governance.models import Decision
from tests.sroi.factories import InitiativeFactory, allocate, funded

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("amount", ["400.00", 400, Decimal("400.00")])
def test_an_allocation_and_its_decision_are_of_the_amount_asked(amount):
    allocation = allocate(
        fund=funded("1000.00"), initiative=InitiativeFactory(), amount=amount, purpose="Tuin"
    )
    assert allocation.amount == Decimal("400.00")
    decision = Decision.objects.select_related("proposal").get(pk=allocation.decision_id)
    assert decision.proposal.amount == Decimal("400.00")


def test_an_amount_that_is_no_number_is_refused_loudly():
    from decimal import InvalidOperation

    with pytest.raises(InvalidOperation):
        allocate(
            fund=funded("1000.00"), initiative=InitiativeFactory(), amount="vier", purpose="Tuin"
        )
