"""The annual report names money from the municipality as the municipality, in its sentence,
its table per source, its picture and its lines alike (it said "from the municipality" in the
sentence and "other income" everywhere else)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from reports import snapshot
from reports.money import fund_content
from reports.rendering import figures
from sroi import services
from tests.sroi.factories import bookkeeper, make_fund

pytestmark = pytest.mark.django_db
YEAR = 2025


def _year_with_both_kinds_of_income():
    fund = make_fund()
    actor = bookkeeper()
    booked = [
        services.record_other_income(
            fund=fund,
            amount=amount,
            date=datetime.date(YEAR, 2, 1),
            description="Bijdrage",
            actor=actor,
            from_municipality=from_municipality,
        )
        for amount, from_municipality in (("50000.00", True), ("700.00", False))
    ]
    services.reverse_transaction(
        transaction=booked[0], reason="Dubbel geboekt", actor=actor, date=datetime.date(YEAR, 3, 1)
    )
    services.record_other_income(
        fund=fund,
        amount="40000.00",
        date=datetime.date(YEAR, 3, 2),
        description="Bijdrage",
        actor=actor,
        from_municipality=True,
    )
    return fund_content(fund, year=YEAR)


@pytest.mark.parametrize(
    ("language", "municipality", "other"),
    [("nl", "Gemeente", "Overige inkomsten"), ("en", "Municipality", "Other income")],
)
def test_money_from_the_municipality_is_named_so_on_every_line_and_in_every_group(
    language, municipality, other
):
    # given a year with a municipal top-up (booked twice, once reversed) and other income
    fund = _year_with_both_kinds_of_income()
    assert fund.in_by_source.municipality == Decimal("40000.00")
    assert fund.in_by_source.other == Decimal("700.00")
    with translation.override(language):
        view = figures._fund(fund)
        # then the groups per source agree with the sentence's split
        groups = {row.label: row.amount for row in view.per_source.rows}
        assert groups == {municipality: Decimal("40000.00"), other: Decimal("700.00")}
        # and each line says where its money came from (a reversal stays a reversal)
        kinds = sorted(line.kind_label for line in fund.inflows)
        assert kinds.count(municipality) == 2
        assert kinds.count(other) == 1
        assert [line.source_label for line in fund.inflows].count(municipality) == 3


def test_a_report_frozen_before_the_counterparty_was_kept_reads_as_it_did():
    # given a stored line without the counterparty (reports made before it was kept)
    fund = _year_with_both_kinds_of_income()
    data = snapshot.encode(fund)
    for line in data["inflows"]:
        del line["counterparty"]
    # when it is read again
    old = snapshot.decode(snapshot.Fund, data)
    # then it loads, and names its lines as before: by the kind of income
    with translation.override("en"):
        assert [line.source_label for line in old.inflows] == ["Other income"] * 4
