"""One read door: the fund pages, the annual report and open data agree to the cent.

Random ledgers are built through the services (refused steps change nothing); then for every
fund, all funds together, and every year, the figures each reader shows are compared.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import opendata
from reports.money import contracts_content, fund_content
from reports.snapshot import encode
from sroi import ledger_selectors as ledger
from sroi import selectors, services
from sroi.models import Transaction
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import ContractFactory, allocate, bookkeeper, make_fund

pytestmark = pytest.mark.django_db
D = Decimal
ZERO = D("0.00")
YEARS = (2024, 2025, 2026)
IN_KINDS = {
    Transaction.Kind.SROI_CONTRIBUTION,
    Transaction.Kind.OTHER_INCOME,
    Transaction.Kind.RETURN,
}

amounts = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)
days = st.integers(min_value=0, max_value=len(YEARS) * 365 - 1)
funds = st.integers(0, 1)
operation = st.one_of(
    st.tuples(st.just("contribution"), funds, st.integers(0, 1), amounts, days),
    st.tuples(st.just("municipality"), funds, amounts, days),
    st.tuples(st.just("other"), funds, amounts, days),
    st.tuples(st.just("allocate"), funds, amounts, days),
    st.tuples(st.just("disburse"), st.integers(0, 5), amounts, days),
    st.tuples(st.just("return"), st.integers(0, 5), amounts, days),
    st.tuples(st.just("close"), st.integers(0, 5), days),
    st.tuples(st.just("reverse"), st.integers(0, 30), days),
)


def day(offset: int) -> datetime.date:
    return datetime.date(YEARS[0], 1, 1) + datetime.timedelta(days=offset)


def apply(step, *, funds, contracts, initiative, allocations) -> None:  # noqa: C901
    name = step[0]
    try:
        with transaction.atomic():
            if name == "contribution":
                _, f, c, amount, offset = step
                services.record_contribution(
                    fund=funds[f],
                    contract=contracts[c],
                    amount=amount,
                    date=day(offset),
                    actor=None,
                )
            elif name in ("municipality", "other"):
                _, f, amount, offset = step
                services.record_other_income(
                    fund=funds[f],
                    amount=amount,
                    date=day(offset),
                    description="aanvulling",
                    from_municipality=name == "municipality",
                    actor=None,
                )
            elif name == "allocate":
                _, f, amount, offset = step
                allocations.append(
                    allocate(
                        fund=funds[f],
                        initiative=initiative,
                        amount=amount,
                        purpose="buurtwerk",
                        date=day(offset),
                    )
                )
            elif name in ("disburse", "return") and allocations:
                service = services.disburse if name == "disburse" else services.return_unspent
                service(
                    allocation=allocations[step[1] % len(allocations)],
                    amount=step[2],
                    date=day(step[3]),
                    actor=bookkeeper(),
                )
            elif name == "close" and allocations:
                services.close_allocation(
                    allocation=allocations[step[1] % len(allocations)],
                    date=day(step[2]),
                    actor=bookkeeper(),
                )
            elif name == "reverse":
                rows = [
                    t
                    for t in Transaction.objects.filter(reversal_of__isnull=True)
                    if not hasattr(t, "reversed_by")
                ]
                if rows:
                    original = rows[step[1] % len(rows)]
                    services.reverse_transaction(
                        transaction=original,
                        reason="correctie",
                        actor=bookkeeper(),
                        date=max(original.date, day(step[2])),
                    )
    except ValidationError:
        pass  # refused operations change nothing (tests/sroi/test_services.py proves it)


def page_figures(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["summary"]


def check_agreement(funds, contracts) -> None:
    today = timezone.localdate()
    client = Client()
    pages = {fund.pk: page_figures(client, f"/sroi/fondsen/{fund.slug}/") for fund in funds}
    overview = page_figures(client, "/sroi/")
    transactions = {year: opendata.transaction_rows(opendata.Period(year)) for year in YEARS}
    fund_rows = {(r["fonds"], r["jaar"]): r for r in opendata.fund_rows(opendata.Period(None))}

    for fund in [*funds, None]:
        page = pages[fund.pk] if fund else overview
        previous_closing = ZERO
        for year in YEARS:
            flows = ledger.flows(fund, year=year)
            # opening + in − out = closing, for every year, and each year opens where the last closed
            assert flows.opening + flows.total_in - flows.total_out == flows.closing
            assert flows.opening == previous_closing
            previous_closing = flows.closing
            if fund is not None:
                report = encode(fund_content(fund, year=year))  # raises if the lines do not add up
                assert (report["opening"], report["closing"]) == (
                    str(flows.opening),
                    str(flows.closing),
                )
                assert (D(report["total_in"]), D(report["total_out"])) == (
                    flows.total_in,
                    flows.total_out,
                )
                assert D(report["in_by_source"]["municipality"]) == flows.from_municipality
                # the open-data totals of the fund's year
                row = fund_rows.get((fund.slug, year))
                if row is None:
                    assert flows.closing == flows.opening == ZERO
                else:
                    assert (row["begin"], row["eind"]) == (flows.opening, flows.closing)
                    assert (row["totaal_in"], row["totaal_uit"]) == (
                        flows.total_in,
                        flows.total_out,
                    )
                    assert row["begin"] + row["totaal_in"] - row["totaal_uit"] == row["eind"]
                    assert (
                        row["van_contracten"],
                        row["van_gemeente"],
                        row["overige_inkomsten"],
                        row["teruggestort"],
                        row["uitbetaald"],
                    ) == (
                        flows.from_contracts,
                        flows.from_municipality,
                        flows.other_income,
                        flows.returned,
                        flows.paid_out,
                    )
            rows = [row for row in transactions[year] if fund is None or row["fonds"] == fund.slug]
            assert sum((r["wijziging_fondstotaal"] for r in rows), ZERO) == (
                flows.closing - flows.opening
            )
            assert (
                sum((r["wijziging_fondstotaal"] for r in rows if r["telt_als"] in IN_KINDS), ZERO)
                == flows.total_in
            )
            assert (
                -sum(
                    (
                        r["wijziging_fondstotaal"]
                        for r in rows
                        if r["telt_als"] == Transaction.Kind.DISBURSEMENT
                    ),
                    ZERO,
                )
                == flows.total_out
            )
        # The page shows this year up to today: the same flows, ending at the balance now.
        assert page.flows == ledger.flows(fund, year=today.year, until=today)
        assert page.flows.closing == page.balance == ledger.balance(fund)
        assert page.balance == page.available + page.allocated
        # Since the start: what came in by source minus what was paid out is the balance, and
        # is what the years' flows add up to.
        start, years = page.since_start, [ledger.flows(fund, year=year) for year in YEARS]
        assert start.left == page.balance
        assert start.total_in == sum((f.total_in for f in years), ZERO)
        assert start.paid_out == sum((f.paid_out for f in years), ZERO)
        assert start.from_municipality == sum((f.from_municipality for f in years), ZERO)
        if fund is not None:
            assert page.available == ledger.available(fund)
            from governance.selectors import fund_available

            assert fund_available(fund) == page.available

    # Cash per contract: the fund pages, the overview totals, the report and open data.
    for year in YEARS:
        last = datetime.date(year, 12, 31)
        paid = ledger.cash_paid(contracts, until=last)
        report_rows = {
            row["reference"]: row for row in encode(contracts_content(year=year, funds=None))
        }
        for row in opendata.contract_rows(opendata.Period(year)):
            expected = paid.get(
                next(c.pk for c in contracts if c.reference == row["referentie"]), ZERO
            )
            assert row["betaald_in_geld"] == expected
            if row["referentie"] in report_rows:
                assert D(report_rows[row["referentie"]]["cash_to_date"]) == expected
    assert selectors.contract_totals()["paid_in_cash"] == sum(
        (sum((r["total"] for r in pages[f.pk].per_contract), ZERO) for f in funds), ZERO
    )
    assert sum((r["total"] for r in overview.per_contract), ZERO) == ledger.total_cash_paid()
    assert selectors.cash_paid_in(overview) == ledger.total_cash_paid()  # what /sroi/ shows

    # Allocations: open data and the fund pages say the same open and paid money.
    rows = opendata.allocation_rows(opendata.Period(None))
    assert sum((r["open"] for r in rows), ZERO) == overview.allocated
    assert sum((r["uitbetaald"] - r["teruggestort"] for r in rows), ZERO) == sum(
        (r["paid"] for r in overview.per_initiative), ZERO
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(operation, min_size=1, max_size=25))
def test_pages_report_and_open_data_agree_to_the_cent(steps):
    with transaction.atomic():
        funds = [make_fund("Fonds Noord"), make_fund("Fonds Zuid")]
        contracts = [
            ContractFactory(
                value=D("100000000.00"),
                award_date=datetime.date(2024, 1, 1),
                start_date=datetime.date(2024, 1, 1),
            )
            for _ in range(2)
        ]
        initiative = InitiativeFactory()
        allocations = []
        for step in steps:
            apply(
                step,
                funds=funds,
                contracts=contracts,
                initiative=initiative,
                allocations=allocations,
            )
        check_agreement(funds, contracts)
        transaction.set_rollback(True)
