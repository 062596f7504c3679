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


def test_the_contracts_total_is_in_percent_like_each_row():
    def contract(obligation: str, fulfilled: str, cash: str) -> s.Contract:
        return s.Contract(
            reference="AMS-1", title="t", contractor="c", department="d",
            value=Decimal(0), percentage=Decimal(5), obligation=Decimal(obligation),
            deadline=None, in_kind=(), in_kind_total=Decimal(0), cash_in_year=Decimal(cash),
            cash_to_date=Decimal(cash) * 2, fulfilled=Decimal(fulfilled), remaining=Decimal(0),
            percent=0, elapsed_percent=0, behind=False, overdue=False, shortfall=Decimal(0),
        )  # fmt: skip

    total = figures.ContractTotals.of(
        [contract("5000000.00", "250000.00", "100.00"), contract("100000.00", "0.00", "50.00")]
    )
    assert total.percent == 5  # 250,000 of 5,100,000 is 4.9 %
    assert (total.cash_in_year, total.cash_to_date) == (Decimal("150.00"), Decimal("300.00"))
    # more than fulfilled counts as 100 %, as for one contract; no obligation: nothing to do
    assert figures.ContractTotals.of([contract("10.00", "25.00", "0")]).percent == 100
    assert figures.ContractTotals.of([]).percent == 100


def test_the_money_per_decision_adds_up_what_was_paid_under_the_decisions_not_shown():
    # given 30 decisions (more than the 25 the table shows), each allocating and paying a part
    decisions = [s.DecisionRef(reference=f"BK-2025-{i:04d}") for i in range(30)]
    allocations = tuple(
        _line(i, "allocation", f"{1000 + i}.00", f"Initiatief {i}", decision)
        for i, decision in enumerate(decisions)
    )
    outflows = tuple(
        _line(100 + i, "tranche", f"{i}.50", f"Initiatief {i}", decision)
        for i, decision in enumerate(decisions)
    )
    paid = sum((line.amount for line in outflows), Decimal(0))
    fund = s.Fund(
        name="Fonds",
        slug="fonds",
        opening=paid,
        closing=Decimal(0),
        total_in=Decimal(0),
        total_out=paid,
        allocations=allocations,
        outflows=outflows,
    )
    # when
    per_decision = figures._fund(fund).per_decision
    # then the rows shown and the rest add up to every tranche paid, as the allocations do
    assert len(per_decision.rows) == 25
    assert per_decision.total_paid == paid == Decimal("450.00")
    assert per_decision.rest_paid == sum((Decimal(f"{i}.50") for i in range(5)), Decimal(0))
    assert sum((row.paid for row in per_decision.rows), per_decision.rest_paid) == paid
    assert sum((row.allocated for row in per_decision.rows), per_decision.rest_amount) == (
        per_decision.total
    )
