"""The money sections of the annual report: reconciliation and every euro on exactly one line."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.money import _split, fund_content, spending_by_classification
from reports.snapshot import Fund, Line, Named, encode
from sroi import services
from sroi.models import Entry, Transaction
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import ContractFactory, allocate, bookkeeper, make_fund

pytestmark = pytest.mark.django_db
D = Decimal
YEARS = (2024, 2025, 2026)

amounts = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)
days = st.integers(min_value=0, max_value=len(YEARS) * 365 - 1)
operation = st.one_of(
    st.tuples(st.just("contribution"), amounts, days),
    st.tuples(st.just("income"), amounts, days),
    st.tuples(st.just("allocate"), amounts, days),
    st.tuples(st.just("disburse"), st.integers(0, 5), amounts, days),
    st.tuples(st.just("return"), st.integers(0, 5), amounts, days),
    st.tuples(st.just("reverse"), st.integers(0, 30), days),
)


def day(offset: int) -> datetime.date:
    return datetime.date(YEARS[0], 1, 1) + datetime.timedelta(days=offset)


def apply(step, *, fund, contract, initiative, allocations) -> None:
    name = step[0]
    try:
        with transaction.atomic():
            if name == "contribution":
                services.record_contribution(
                    fund=fund, contract=contract, amount=step[1], date=day(step[2]), actor=None
                )
            elif name == "income":
                services.record_other_income(
                    fund=fund, amount=step[1], date=day(step[2]), description="top-up", actor=None
                )
            elif name == "allocate":
                allocations.append(
                    allocate(
                        fund=fund,
                        initiative=initiative,
                        amount=step[1],
                        purpose="buurtwerk",
                        decision_reference="BK-TEST",
                        actor=bookkeeper(),
                        date=day(step[2]),
                    )
                )
            elif name in ("disburse", "return") and allocations:
                service = services.disburse if name == "disburse" else services.return_unspent
                service(
                    allocation=allocations[step[1] % len(allocations)],
                    amount=step[2],
                    date=day(step[3]),
                    actor=None,
                )
            elif name == "reverse":
                rows = list(Transaction.objects.filter(fund=fund, reversal_of__isnull=True))
                rows = [t for t in rows if not hasattr(t, "reversed_by")]
                if rows:
                    original = rows[step[1] % len(rows)]
                    services.reverse_transaction(
                        transaction=original,
                        reason="correctie",
                        actor=bookkeeper(),
                        date=max(original.date, day(step[2])),
                    )
    except ValidationError:
        pass  # refused operations change nothing (the sroi tests prove it)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(operation, min_size=1, max_size=25))
def test_every_year_reconciles_and_every_transaction_is_on_exactly_one_line(steps):
    with transaction.atomic():
        fund = make_fund()
        contract = ContractFactory(value=D("100000000.00"))
        initiative = InitiativeFactory()
        allocations = []
        for step in steps:
            apply(
                step, fund=fund, contract=contract, initiative=initiative, allocations=allocations
            )

        previous_closing = D("0.00")
        for year in YEARS:
            content = encode(fund_content(fund, year=year))  # raises if it does not reconcile
            opening, closing = D(content["opening"]), D(content["closing"])
            total_in, total_out = D(content["total_in"]), D(content["total_out"])
            assert opening + total_in - total_out == closing
            assert opening == previous_closing
            previous_closing = closing
            lines = content["inflows"] + content["outflows"] + content["allocations"]
            on_lines = [line["transaction"] for line in lines]
            in_year = Transaction.objects.filter(fund=fund, date__year=year)
            assert sorted(on_lines) == sorted(in_year.values_list("pk", flat=True))
            # The money lines together are exactly the change of the fund's total in the year.
            ledger_change = sum(
                Entry.objects.filter(transaction__in=in_year, account__fund=fund).values_list(
                    "amount", flat=True
                ),
                D("0.00"),
            )
            assert total_in - total_out == ledger_change
        transaction.set_rollback(True)


def test_a_fund_year_lists_contributions_tranches_and_allocations_with_their_decision():
    fund = make_fund()
    contract = ContractFactory(reference="AMS-1", title="Museum")
    initiative = InitiativeFactory(name="Community Home")
    services.record_contribution(
        fund=fund,
        contract=contract,
        amount=D("1000.00"),
        date=datetime.date(2025, 2, 1),
        actor=None,
    )
    allocation = allocate(
        fund=fund,
        initiative=initiative,
        amount=D("600.00"),
        purpose="Huur",
        actor=bookkeeper(),
        date=datetime.date(2025, 3, 1),
    )
    services.disburse(
        allocation=allocation,
        amount=D("250.00"),
        date=datetime.date(2025, 4, 1),
        actor=bookkeeper(),
    )
    services.disburse(
        allocation=allocation,
        amount=D("100.00"),
        date=datetime.date(2026, 1, 5),
        actor=bookkeeper(),
    )

    year = encode(fund_content(fund, year=2025))

    assert (year["opening"], year["total_in"], year["total_out"], year["closing"]) == (
        "0.00",
        "1000.00",
        "250.00",
        "750.00",
    )
    assert year["inflows"][0]["contract"]["reference"] == "AMS-1"
    assert year["outflows"][0]["initiative"]["name"] == "Community Home"
    assert allocation.decision_reference.startswith("BK-2025-")
    assert year["outflows"][0]["decision"]["reference"] == allocation.decision_reference
    assert [line["amount"] for line in year["allocations"]] == ["600.00"]
    next_year = encode(fund_content(fund, year=2026))
    assert (next_year["opening"], next_year["total_out"], next_year["closing"]) == (
        "750.00",
        "100.00",
        "650.00",
    )
    # Of the closing balance, 600 − 250 is allocated but not yet paid.
    assert (year["allocated_open"], next_year["allocated_open"]) == ("350.00", "250.00")


@given(
    amount=st.decimals(min_value=D("0"), max_value=D("1000000"), places=2), parts=st.integers(1, 9)
)
def test_splitting_money_over_classifications_keeps_every_cent(amount, parts):
    shares = _split(amount, parts)
    assert sum(shares) == amount
    assert max(shares) - min(shares) <= D("0.01")


def _fund_paying(amounts: dict[str, str]) -> Fund:
    """A fund's year in the report with one tranche per initiative slug."""
    lines = tuple(
        Line(
            transaction=index,
            date=datetime.date(2025, 5, 1),
            kind=Transaction.Kind.DISBURSEMENT,
            counts_as=Transaction.Kind.DISBURSEMENT,
            amount=D(amount),
            initiative=Named(name=slug, slug=slug),
        )
        for index, (slug, amount) in enumerate(amounts.items())
    )
    total = sum((line.amount for line in lines), D("0.00"))
    return Fund(
        name="Fonds", slug="fonds", opening=total, closing=D("0.00"), total_in=D("0.00"),
        total_out=total, outflows=lines,
    )  # fmt: skip


def test_spending_per_leefgebied_adds_up_to_the_money_paid_out():
    a = InitiativeFactory(
        slug="a",
        classes=[("leefgebied", "werk"), ("leefgebied", "zorg"), ("leefgebied", "inkomen")],
    )
    InitiativeFactory(slug="b", classes=[("leefgebied", "werk")])
    funds = [_fund_paying({a.slug: "100.00", "b": "50.00"})]
    rows = encode(
        spending_by_classification(funds, "leefgebied", ["werk", "zorg", "inkomen", "gezin"])
    )
    amounts = {row["code"]: D(row["amount"]) for row in rows}
    assert amounts == {
        "werk": D("83.34"),
        "zorg": D("33.33"),
        "inkomen": D("33.33"),
        "gezin": D("0.00"),
    }
    assert sum(amounts.values()) == D("150.00")


@pytest.mark.django_db
def test_a_fund_opened_after_a_year_is_not_in_that_year_s_report():
    """The demo's note of 2026-12-06: last year's report listed a fund opened this year, with
    € 0 and an empty chart. A fund is in a year's report when it was opened by the end of that
    year or had money booked by then (the demo opens its first fund today, with last year's
    bookings)."""
    from django.utils import timezone  # noqa: PLC0415 - this test only

    from reports.content import annual_report_content  # noqa: PLC0415 - this test only
    from tests.sroi.factories import funded  # noqa: PLC0415 - this test only

    last_year = timezone.localdate().year - 1
    older = funded("100.00", fund=make_fund(name="Oud fonds"))  # booked in 2025 (the factory)
    services.record_other_income(
        fund=older, amount=Decimal("50.00"), date=datetime.date(last_year, 3, 1),
        description="Aanvulling", actor=None,
    )  # fmt: skip
    make_fund(name="Nieuw fonds")  # opened today, nothing booked
    names = [f.name for f in annual_report_content(year=last_year).funds]
    assert names == ["Oud fonds"]
    this_year = annual_report_content(year=last_year + 1).funds
    assert [f.name for f in this_year] == ["Nieuw fonds", "Oud fonds"]
