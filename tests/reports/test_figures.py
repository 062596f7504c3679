"""The report's groups per decision: a decision that funded several initiatives (a budget
round's) says how many, instead of naming the first of them."""

import datetime
from decimal import Decimal

from django.utils import translation

from reports import snapshot as s
from reports.rendering import figures


def _line(number: int, kind: str, amount: str, initiative: str, decision: s.DecisionRef) -> s.Line:
    return s.Line(
        transaction=number,
        date=datetime.date(2025, 12, 1),
        kind=kind,
        counts_as="out",
        amount=Decimal(amount),
        initiative=s.Named(name=initiative, slug=initiative.lower()),
        decision=decision,
    )


def test_a_decision_for_several_initiatives_says_how_many():
    round_ = s.DecisionRef(reference="BK-2025-0004", title="Begrotingsronde")
    single = s.DecisionRef(reference="BK-2025-0001", title="Toekenning")
    allocations = (
        _line(1, "allocation", "40000.00", "Danslessen", round_),
        _line(2, "allocation", "20000.00", "Bankjes", round_),
        _line(3, "allocation", "120000.00", "Community Home", single),
    )
    outflows = (
        _line(4, "tranche", "20000.00", "Danslessen", round_),
        _line(5, "tranche", "10000.00", "Bankjes", round_),
        _line(6, "tranche", "5000.00", "Bankjes", round_),
    )
    fund = s.Fund(
        name="Fonds",
        slug="fonds",
        opening=Decimal("200000.00"),
        closing=Decimal("165000.00"),
        total_in=Decimal(0),
        total_out=Decimal("35000.00"),
        allocations=allocations,
        outflows=outflows,
    )
    groups = {group.label: group for group in figures._per_decision(fund)}
    assert groups["BK-2025-0004"].initiatives == ["Danslessen", "Bankjes"]
    assert groups["BK-2025-0004"].allocated == Decimal("60000.00")
    assert groups["BK-2025-0004"].paid == Decimal("35000.00")
    with translation.override("nl"):
        assert groups["BK-2025-0004"].initiative == "2 initiatieven"
        assert groups["BK-2025-0001"].initiative == "Community Home"
    with translation.override("en"):
        assert groups["BK-2025-0004"].initiative == "2 initiatives"
