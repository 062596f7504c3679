"""Issue 16: a fund's year is read as plain values, not as Transaction objects, in a number of
queries that does not grow with its lines, and it says the same as before."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.money import fund_content
from reports.snapshot import encode
from sroi import services
from sroi.models import Transaction
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import ContractFactory, allocate, bookkeeper, make_fund

pytestmark = pytest.mark.django_db
D = Decimal
DAY = datetime.date(2025, 3, 1)


def _year(*, contributions: int, allocations: int, name: str = "AMS"):
    """A fund's 2025 with `contributions` contributions and `allocations` allocations, each
    paid out in one tranche that is then corrected: 1 + contributions + 3 x allocations lines."""
    fund = make_fund(name=f"Fonds {name}")
    contract = ContractFactory(reference=f"{name}-1", title="Museum", value=D("100000000.00"))
    clerk = bookkeeper()
    services.record_other_income(
        fund=fund, amount=D("100.00"), date=DAY, description="Aanvulling", actor=clerk
    )
    for _ in range(contributions):
        services.record_contribution(
            fund=fund, contract=contract, amount=D("10.00"), date=DAY, actor=clerk
        )
    for index in range(allocations):
        allocation = allocate(
            fund=fund,
            initiative=InitiativeFactory(name=f"Initiative {name} {index}"),
            amount=D("5.00"),
            purpose="Huur",
            actor=clerk,
            date=DAY,
        )
        tranche = services.disburse(allocation=allocation, amount=D("2.00"), date=DAY, actor=clerk)
        services.reverse_transaction(transaction=tranche, reason="dubbel", actor=clerk, date=DAY)
    return fund


def test_a_fund_year_makes_no_transaction_objects_and_keeps_every_line():
    fund = _year(contributions=2, allocations=2)
    made = []
    real_from_db = Transaction.from_db.__func__

    def counted(cls, *args, **kwargs):
        made.append(cls)
        return real_from_db(cls, *args, **kwargs)

    with mock.patch.object(Transaction, "from_db", classmethod(counted)):
        year = encode(fund_content(fund, year=2025))

    assert made == []  # the old code made one object per line (and more for its links)
    assert year["transactions"] == 1 + 2 + 3 * 2
    assert [line["amount"] for line in year["inflows"]] == ["100.00", "10.00", "10.00"]
    assert year["inflows"][1]["contract"] == {
        "reference": "AMS-1",
        "title": "Museum",
        "contractor": Transaction.objects.get(
            pk=year["inflows"][1]["transaction"]
        ).contract.contractor.name,
    }
    # A tranche and its correction: the correction counts as a tranche, negative.
    paid, corrected = year["outflows"][:2]
    assert (paid["amount"], paid["correction"]) == ("2.00", False)
    assert (corrected["amount"], corrected["correction"], corrected["counts_as"]) == (
        "-2.00",
        True,
        "disbursement",
    )
    # its own words stay internal: the report keeps its kind of reason only ("": none chosen)
    assert (corrected["reason"], corrected["reason_category"]) == ("", "")
    # Both carry the initiative of their allocation and its decision, read once for both.
    assert paid["initiative"] == {"name": "Initiative AMS 0", "slug": paid["initiative"]["slug"]}
    assert corrected["initiative"] == paid["initiative"]
    decision = paid["decision"]
    assert decision["reference"].startswith("BK-2025-")
    assert decision["title"] == "Toekenning aan Initiative AMS 0"
    assert decision["tally"]["voor"] == 3 and decision["decided_at"] == "2025-03-01"
    assert corrected["decision"] == decision
    assert [line["amount"] for line in year["allocations"]] == ["5.00", "5.00"]
    assert year["total_out"] == "0.00" and year["allocated_open"] == "10.00"


def _queries(fund) -> int:
    with CaptureQueriesContext(connection) as queries:
        fund_content(fund, year=2025)
    return len(queries)


def test_a_fund_year_takes_as_many_queries_for_1000_lines_as_for_10():
    small = _queries(_year(contributions=6, allocations=1, name="S"))  # 10 lines
    big = _queries(_year(contributions=900, allocations=33, name="B"))  # 1,000 lines
    assert big == small
