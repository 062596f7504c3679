"""The community fund under real concurrency on PostgreSQL: the fund's row lock, not luck.

`sroi.services.ledger` locks the fund row (`SELECT … FOR UPDATE`) before it reads a balance, so
concurrent allocations (and disbursements) from one fund run one after the other and each sees
the entries of the ones before it. These tests start many at once (a `threading.Barrier`, each
thread its own database connection, closed at the end; `transaction=True`, so the threads see the
test's committed rows) and check the ledger afterwards: no balance below zero at any point, the
accepted operations within the money there was, and the refused ones left nothing behind.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from accounts.models import Role
from sroi import services
from sroi.models import Account, Allocation, Entry, Fund, Transaction
from tests.accounts.factories import AreaFactory, UserFactory
from tests.initiatives.factories import InitiativeFactory
from tests.sroi.factories import allocate

from .concurrency import run_together

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

THREADS = 20
START = datetime.date(2025, 1, 10)


@pytest.fixture
def civil_servant_user():
    return UserFactory(username="ambtenaar-fonds-concurrency", roles=[Role.CIVIL_SERVANT])


@pytest.fixture
def initiatives():
    area = AreaFactory(name="Gaasperdam", slug="gaasperdam-fonds-concurrency")
    return [
        InitiativeFactory(name=f"Buurtinitiatief {i:02d}", slug=f"fonds-conc-{i:02d}", area=area)
        for i in range(THREADS)
    ]


def funded_fund(amount: str, actor) -> Fund:
    fund = services.create_fund(name="Gemeenschapsfonds Concurrency", actor=actor)
    services.record_other_income(
        fund=fund,
        amount=Decimal(amount),
        date=START,
        description="Aanvulling gemeente",
        actor=actor,
    )
    return fund


def fund_balances(fund: Fund) -> dict[str, Decimal]:
    rows = (
        Entry.objects.filter(account__fund=fund)
        .values("account__kind")
        .annotate(total=Sum("amount"))
        .values_list("account__kind", "total")
    )
    balances = {Account.Kind.AVAILABLE: Decimal("0.00"), Account.Kind.ALLOCATED: Decimal("0.00")}
    balances.update(dict(rows))
    return balances


def assert_ledger_consistent(fund: Fund) -> None:
    """Every transaction balances and no fund account was ever below zero.

    The services write a transaction only while holding the fund's row lock, so the order of
    the transactions' primary keys is the order in which they happened: the running balance of
    each fund account in that order is the account's history.
    """
    transactions = list(Transaction.objects.filter(fund=fund).order_by("pk"))
    assert transactions
    running = {Account.Kind.AVAILABLE: Decimal("0.00"), Account.Kind.ALLOCATED: Decimal("0.00")}
    for record in transactions:
        entries = list(record.entries.select_related("account"))
        assert len(entries) >= 2, record
        assert sum(e.amount for e in entries) == 0, (record, [e.amount for e in entries])
        for entry in entries:
            if entry.account.fund_id == fund.pk:
                running[entry.account.kind] += entry.amount
        assert all(value >= 0 for value in running.values()), (record, running)
    # Nothing was written outside a transaction of this fund.
    assert not Entry.objects.filter(account__fund=fund).exclude(transaction__fund=fund).exists()
    assert fund_balances(fund) == running
    total = Entry.objects.filter(account__fund=fund).aggregate(total=Sum("amount"))["total"]
    assert total == sum(running.values())


def assert_nothing_written_for(references: list[str]) -> None:
    """The refused allocations left no allocation, audit row, transaction or entry."""
    assert not Allocation.objects.filter(decision_reference__in=references).exists()
    assert not Allocation.history.filter(decision_reference__in=references).exists()
    assert not Transaction.objects.filter(decision_reference__in=references).exists()
    assert not Entry.objects.filter(transaction__decision_reference__in=references).exists()


# --- Allocations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("balance", "amount"),
    [("10000.00", "1000.00"), ("10500.00", "1000.00"), ("6000.00", "333.33")],
)
def test_concurrent_allocations_never_take_the_fund_below_zero(
    civil_servant_user, initiatives, balance, amount
):
    balance, amount = Decimal(balance), Decimal(amount)
    fund = funded_fund(str(balance), civil_servant_user)
    references = [f"GB-CONC-{i:02d}" for i in range(THREADS)]
    assert amount * THREADS > balance

    def work(i: int) -> Allocation:
        return allocate(
            fund=fund,
            initiative=initiatives[i],
            amount=amount,
            purpose=f"Activiteiten {i}",
            decision_reference=references[i],
            actor=civil_servant_user,
        )

    results = run_together(THREADS, work)

    unexpected = [r for r in results if not isinstance(r, Allocation | ValidationError)]
    assert not unexpected, unexpected[:3]
    accepted = [i for i, r in enumerate(results) if isinstance(r, Allocation)]
    refused = [i for i, r in enumerate(results) if isinstance(r, ValidationError)]
    assert len(accepted) + len(refused) == THREADS
    assert len(accepted) == balance // amount
    for i in refused:
        assert set(results[i].message_dict) == {"amount"}, results[i].message_dict
    assert_nothing_written_for([references[i] for i in refused])

    stored = Allocation.objects.filter(fund=fund)
    assert sorted(stored.values_list("decision_reference", flat=True)) == sorted(
        references[i] for i in accepted
    )
    granted = stored.aggregate(total=Sum("amount"))["total"]
    assert granted == amount * len(accepted) <= balance
    assert Transaction.objects.filter(fund=fund, kind=Transaction.Kind.ALLOCATION).count() == len(
        accepted
    )
    assert_ledger_consistent(fund)
    balances = fund_balances(fund)
    assert balances[Account.Kind.AVAILABLE] == balance - granted
    assert Decimal("0.00") <= balances[Account.Kind.AVAILABLE] < amount
    assert balances[Account.Kind.ALLOCATED] == granted


def test_concurrent_allocations_of_different_sizes_fit_the_balance(civil_servant_user, initiatives):
    """Uneven amounts: which ones fit depends on the order, but never more than there is, and a
    refusal only when the amount really did not fit in what was left at that moment."""
    balance = Decimal("5000.00")
    fund = funded_fund(str(balance), civil_servant_user)
    amounts = [Decimal(100 * (i + 1)) + Decimal("0.50") for i in range(THREADS)]  # 100.50..2000.50
    references = [f"GB-MIX-{i:02d}" for i in range(THREADS)]

    def work(i: int) -> Allocation:
        return allocate(
            fund=fund,
            initiative=initiatives[i],
            amount=amounts[i],
            purpose="Buurtactiviteiten",
            decision_reference=references[i],
            actor=civil_servant_user,
        )

    results = run_together(THREADS, work)

    assert all(isinstance(r, Allocation | ValidationError) for r in results), results
    accepted = [i for i, r in enumerate(results) if isinstance(r, Allocation)]
    refused = [i for i, r in enumerate(results) if isinstance(r, ValidationError)]
    assert accepted and refused
    granted = sum((amounts[i] for i in accepted), Decimal("0.00"))
    assert granted <= balance
    # The smallest refused amount did not fit in what was left at the end either.
    assert min(amounts[i] for i in refused) > balance - granted
    assert_nothing_written_for([references[i] for i in refused])
    assert_ledger_consistent(fund)
    assert fund_balances(fund)[Account.Kind.AVAILABLE] == balance - granted


# --- Disbursements -----------------------------------------------------------------------------


def test_concurrent_disbursements_never_exceed_the_allocation(civil_servant_user, initiatives):
    fund = funded_fund("5000.00", civil_servant_user)
    granted, tranche = Decimal("1000.00"), Decimal("75.00")
    allocation = allocate(
        fund=fund,
        initiative=initiatives[0],
        amount=granted,
        purpose="Zomerprogramma",
        decision_reference="GB-TRANCHES",
        date=START,
        actor=civil_servant_user,
    )
    today = timezone.localdate()

    def work(i: int):
        return services.disburse(
            allocation=allocation,
            amount=tranche,
            date=today,
            description=f"Tranche {i}",
            actor=civil_servant_user,
        )

    results = run_together(THREADS, work)

    assert all(isinstance(r, Transaction | ValidationError) for r in results), results
    paid = [r for r in results if isinstance(r, Transaction)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    refused_descriptions = {
        f"Tranche {i}" for i, r in enumerate(results) if isinstance(r, ValidationError)
    }
    assert len(paid) == granted // tranche == 13
    assert len(refused) == THREADS - 13
    for error in refused:
        assert set(error.message_dict) == {"amount"}, error.message_dict
    disbursements = Transaction.objects.filter(
        allocation=allocation, kind=Transaction.Kind.DISBURSEMENT
    )
    assert disbursements.count() == 13
    assert not disbursements.filter(description__in=refused_descriptions).exists()
    total_paid = Entry.objects.filter(
        transaction__in=disbursements, account__kind=Account.Kind.INITIATIVE
    ).aggregate(total=Sum("amount"))["total"]
    assert total_paid == tranche * 13 <= granted
    assert_ledger_consistent(fund)
    balances = fund_balances(fund)
    assert balances[Account.Kind.ALLOCATED] == granted - total_paid == Decimal("25.00")
    assert balances[Account.Kind.AVAILABLE] == Decimal("4000.00")
    initiative_account = Account.objects.get(initiative=initiatives[0])
    held = Entry.objects.filter(account=initiative_account).aggregate(total=Sum("amount"))
    assert held["total"] == total_paid


def test_allocations_disbursements_and_income_at_once_keep_the_ledger_consistent(
    civil_servant_user, initiatives
):
    """A mix on one fund: allocations, tranches of an existing allocation, returns and top-ups."""
    fund = funded_fund("3000.00", civil_servant_user)
    existing = allocate(
        fund=fund,
        initiative=initiatives[0],
        amount=Decimal("1000.00"),
        purpose="Bestaand",
        decision_reference="GB-BESTAAND",
        date=START,
        actor=civil_servant_user,
    )
    services.disburse(
        allocation=existing, amount=Decimal("400.00"), date=START, actor=civil_servant_user
    )
    today = timezone.localdate()

    def work(i: int):
        match i % 4:
            case 0:
                return allocate(
                    fund=fund,
                    initiative=initiatives[i],
                    amount=Decimal("700.00"),
                    purpose="Nieuw",
                    decision_reference=f"GB-MIXED-{i:02d}",
                    actor=civil_servant_user,
                )
            case 1:
                return services.disburse(
                    allocation=existing,
                    amount=Decimal("150.00"),
                    date=today,
                    actor=civil_servant_user,
                )
            case 2:
                return services.return_unspent(
                    allocation=existing,
                    amount=Decimal("90.00"),
                    date=today,
                    actor=civil_servant_user,
                )
            case _:
                return services.record_other_income(
                    fund=fund,
                    amount=Decimal("250.00"),
                    date=today,
                    description=f"Aanvulling {i}",
                    actor=None,
                )

    results = run_together(THREADS, work)

    assert all(isinstance(r, Allocation | Transaction | ValidationError) for r in results), results
    assert all(not isinstance(r, ValidationError) for i, r in enumerate(results) if i % 4 == 3)
    assert_ledger_consistent(fund)
    # The existing allocation: paid out at most what was granted, returned at most what was paid.
    open_amount = Entry.objects.filter(
        transaction__allocation=existing, account__kind=Account.Kind.ALLOCATED
    ).aggregate(total=Sum("amount"))["total"]
    held = Entry.objects.filter(
        transaction__allocation=existing, account__kind=Account.Kind.INITIATIVE
    ).aggregate(total=Sum("amount"))["total"]
    assert Decimal("0.00") <= open_amount <= Decimal("1000.00")
    assert held >= 0
    refused_refs = [
        f"GB-MIXED-{i:02d}"
        for i, r in enumerate(results)
        if i % 4 == 0 and isinstance(r, ValidationError)
    ]
    assert_nothing_written_for(refused_refs)
    # Income in = 3000 + 5 × 250; everything is still in the fund or with the initiatives.
    initiative_total = Entry.objects.filter(
        account__kind=Account.Kind.INITIATIVE, transaction__fund=fund
    ).aggregate(total=Sum("amount"))["total"]
    fund_total = sum(fund_balances(fund).values())
    assert fund_total + initiative_total == Decimal("3000.00") + 5 * Decimal("250.00")
