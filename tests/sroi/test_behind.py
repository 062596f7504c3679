"""Contracts behind schedule or overdue, selected, ordered and counted in the database (issue 16).

`valuation.progress` stays the reference: the database's selection and order must be exactly the
contracts it calls behind or overdue, sorted overdue first, then by deadline and reference.
"""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from config.todo import count_for
from sroi import selectors, services
from sroi.models import Contract, Realisation, TargetGroup
from tests.accounts.factories import UserFactory

from .factories import ContractFactory, ContractorFactory, block, funded

BASE = datetime.date(2026, 6, 15)
PAID_ON = datetime.date(2025, 3, 1)
VALUES = [  # contract values: 5 % of them is the obligation (below 250,000 none)
    Decimal("1000000.00"),
    Decimal("333333.33"),
    Decimal("250000.00"),
    Decimal("1234567.89"),
    Decimal("100000.00"),
]
PERIODS = [0, 1, 2, 3, 7, 100, 200, 364, 730]  # days from start to deadline
SHARES = [  # the part of the obligation fulfilled
    Decimal(0),
    Decimal("0.25"),
    Decimal(1) / 3,
    Decimal("0.5"),
    Decimal(2) / 3,
    Decimal("0.99"),
    Decimal(1),
]
STATUSES = [Contract.Status.RUNNING] * 5 + [Contract.Status.COMPLETED, Contract.Status.TERMINATED]


def by_progress(today: datetime.date) -> list[int]:
    """The old selection, in Python: `progress()` on every running contract with an obligation."""
    running = selectors.contracts_with_progress().filter(
        status=Contract.Status.RUNNING, obligation__gt=0
    )
    rows = [
        c
        for c in selectors.with_progress(running, today)
        if c.progress.is_behind or c.progress.is_overdue
    ]
    rows.sort(key=lambda c: (not c.progress.is_overdue, c.fulfilment_deadline, c.reference))
    return [c.pk for c in rows]


def in_database(today: datetime.date) -> list[int]:
    return list(selectors.contracts_behind(today).values_list("pk", flat=True))


def make_contract(
    n: int,
    *,
    start: datetime.date,
    days: int,
    value: Decimal,
    share: Decimal,
    cash: Decimal,
    status,
) -> Contract:
    """A contract whose fulfilled part (`share` of its obligation) is `cash` part cash paid into
    `fund`, the rest verified value in kind, plus a claimed and a rejected realisation that do
    not count."""
    contract = ContractFactory(
        reference=f"B-{n:04d}",
        value=value,
        start_date=start,
        end_date=start + datetime.timedelta(days=days),
        award_date=datetime.date(2025, 1, 1),
        status=status,
    )
    fulfilled = (contract.obligation * share).quantize(Decimal("0.01"))
    paid = (fulfilled * cash).quantize(Decimal("0.01"))
    if paid > 0:
        services.record_contribution(
            fund=make_contract.fund, contract=contract, amount=paid, date=PAID_ON, actor=None
        )
    for status, amount in [
        (Realisation.Status.VERIFIED, fulfilled - paid),
        (Realisation.Status.CLAIMED, Decimal("999.00")),
        (Realisation.Status.REJECTED, Decimal("999.00")),
    ]:
        if amount > 0:
            Realisation.objects.create(
                contract=contract,
                block=block("ww"),
                target_group=TargetGroup.UNEMPLOYMENT,
                person_reference=f"P-{n}",
                start_date=datetime.date(2025, 2, 1),
                months=Decimal("6"),
                hours_per_week=Decimal("36"),
                value=amount,
                status=status,
                rejection_reason="Geen bewijs" if status == Realisation.Status.REJECTED else "",
            )
    return contract


def days_around(contracts: list[Contract]) -> set[datetime.date]:
    """The days where a contract's status can change: around its start and deadline, and the
    days a quarter, a third, half and two thirds of its period has passed (ties in share)."""
    days = set()
    for c in contracts:
        period = (c.fulfilment_deadline - c.start_date).days
        marks = [0, period] + [period * k // q for q in (3, 4) for k in range(1, q)]
        for mark in marks:
            for delta in (-1, 0, 1):
                days.add(c.start_date + datetime.timedelta(days=mark + delta))
    return days


@pytest.mark.django_db
def test_the_database_selects_and_orders_exactly_what_progress_calls_behind():
    check_table()


def check_table() -> None:
    """40 generated contracts and 4 with the same deadline, compared on every day around their
    starts, deadlines and shares of their periods (tests/integration runs it on PostgreSQL)."""
    make_contract.fund = funded("0.01")
    rng = random.Random(16)
    contracts = [
        make_contract(
            n,
            start=BASE + datetime.timedelta(days=rng.randint(-800, 400)),
            days=rng.choice(PERIODS),
            value=rng.choice(VALUES),
            share=rng.choice(SHARES),
            cash=rng.choice([Decimal(0), Decimal("0.5"), Decimal(1)]),
            status=rng.choice(STATUSES),
        )
        for n in range(40)
    ]
    # Same deadline for two overdue and two behind contracts: the reference decides.
    for n, start in [(40, -400), (41, -400), (42, -100), (43, -100)]:
        contracts.append(
            make_contract(
                n,
                start=BASE + datetime.timedelta(days=start),
                days=300,
                value=VALUES[0],
                share=Decimal(0),
                cash=Decimal(0),
                status=Contract.Status.RUNNING,
            )
        )
    days = sorted(days_around(contracts) | {BASE})
    seen = set()
    for today in days:
        expected = by_progress(today)
        assert in_database(today) == expected, today
        assert selectors.contracts_behind(today).count() == len(expected)
        seen.update(expected)
    assert len(days) > 300 and 20 < len(seen) < 40  # the table is not trivial either way


contract_specs = st.lists(
    st.tuples(
        st.integers(-60, 60),  # start, days from today
        st.sampled_from([0, 1, 2, 3, 4, 5, 10, 30, 90]),  # period
        st.sampled_from(VALUES),
        st.sampled_from(SHARES) | st.decimals("0", "1", places=3),
        st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1)]),
        st.sampled_from(STATUSES),
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=contract_specs, shifts=st.lists(st.integers(-100, 100), min_size=1, max_size=8))
def test_property_the_database_agrees_with_progress(specs, shifts):
    with transaction.atomic():
        make_contract.fund = funded("0.01")
        for n, (start, days, value, share, cash, status) in enumerate(specs):
            make_contract(
                n,
                start=BASE + datetime.timedelta(days=start),
                days=days,
                value=value,
                share=share,
                cash=cash,
                status=status,
            )
        for shift in shifts:
            today = BASE + datetime.timedelta(days=shift)
            assert in_database(today) == by_progress(today)
        transaction.set_rollback(True)


def _running(n: int, prefix: str = "BULK") -> None:
    """`n` running contracts with nothing fulfilled, all behind (bulk: no history, no ledger)."""
    contractor = ContractorFactory()
    start = datetime.date(2025, 1, 1)
    Contract.objects.bulk_create(
        Contract(
            reference=f"{prefix}-{i:05d}",
            title="Bulk",
            department="Vastgoed",
            contractor=contractor,
            value=Decimal("1000000.00"),
            obligation=Decimal("50000.00"),
            award_date=start,
            start_date=start,
            end_date=datetime.date(2030, 12, 31),
            fulfilment_deadline=datetime.date(2030, 12, 31),
        )
        for i in range(n)
    )


@pytest.mark.django_db
def test_the_badge_count_is_one_query_that_loads_no_contract():
    me = UserFactory(roles=[Role.CIVIL_SERVANT])
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance)

    nothing = count_for(me)  # last year's report is missing, no contract yet
    queries = []
    for n, total in [(10, 10), (990, 1000)]:  # 10, then 1,000 running contracts
        _running(n, prefix=f"N{n}")
        post_init.connect(count, sender=Contract)
        try:
            with CaptureQueriesContext(connection) as captured:
                assert count_for(me) == nothing + total
        finally:
            post_init.disconnect(count, sender=Contract)
        queries.append(len(captured))
    assert queries == [1, 1]
    assert loaded == []


def _rows(html: str) -> int:
    return html.count('data-testid="behind-row"')


@pytest.mark.django_db
def test_the_behind_page_shows_one_page_of_fifty(client, civil_servant):
    _running(58)
    overdue = [
        ContractFactory(
            reference=f"OVER-{n}",
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2024, 12, 31),
        )
        for n in range(2)
    ]
    client.force_login(civil_servant)
    with CaptureQueriesContext(connection) as first:
        page = client.get("/sroi/contracten/achterstand/", {"zoek": "x"})
    html = page.content.decode()
    assert _rows(html) == 50 and "60 opdrachten" in html
    assert html.index("OVER-0") < html.index("OVER-1") < html.index("BULK-00000")
    assert "zoek=x&amp;page=2" in html  # the query string is kept
    second = client.get("/sroi/contracten/achterstand/", {"zoek": "x", "page": 2})
    html = second.content.decode()
    assert _rows(html) == 10 and "BULK-00057" in html and "OVER-0" not in html
    assert all(c.reference in page.content.decode() for c in overdue)
    # The page's rows get their progress in the same query: no query per row.
    with CaptureQueriesContext(connection) as last:
        client.get("/sroi/contracten/achterstand/", {"page": 2})
    assert len(first) == len(last)
