"""The ledger's rules for new rows, kept by PostgreSQL for every INSERT (sroi migration 0009).

The services check these before they write; here the SQL comes past them, as a DBA or a script
with the application's credentials would send it: money out of a fund dressed as income, money
from nowhere, entries added to a booked transaction, more paid out than allocated, a second
booking of an allocation, a booking in a closed year, a reversal that is no mirror, a fund below
zero on some day, an account moved to another fund, and two drains at once. Each is accepted
without the migration's triggers. A booking of the right shape is still accepted.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import Role
from governance import services as governance
from sroi import services
from sroi.models import Account, Allocation, Transaction
from tests.accounts.factories import UserFactory
from tests.sroi.factories import InitiativeFactory, adopted_decision, make_fund

from .concurrency import run_together

pytestmark = [pytest.mark.integration]

INCOME_DAY = datetime.date(2025, 1, 10)


@pytest.fixture
def servant():
    return UserFactory(username="ambtenaar-grootboekregels", roles=[Role.CIVIL_SERVANT])


def income(fund, amount: str, day: datetime.date = INCOME_DAY) -> Transaction:
    return services.record_other_income(
        fund=fund, amount=Decimal(amount), date=day, description="Aanvulling", actor=None
    )


def allocated(fund, amount: str, servant, slug: str = "grootboek-keuken") -> Allocation:
    decision = adopted_decision(
        fund=fund, initiative=InitiativeFactory(slug=slug), amount=Decimal(amount)
    )
    return governance.execute_decision(decision=decision, actor=servant).allocation


def account(kind: str, fund=None, **links) -> int:
    account, _created = Account.objects.get_or_create(kind=kind, fund=fund, **links)
    return account.pk


def book(fund_id: int, kind: str, day, lines, **links) -> int:
    """A transaction and its entries written with plain SQL (one INSERT per entry)."""
    columns = {"contract_id": None, "initiative_id": None, "allocation_id": None}
    columns.update({"reversal_of_id": None, "reason": "", **links})
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sroi_transaction (fund_id, kind, date, description, recorded_at, "
            "decision_reference, reason, contract_id, initiative_id, allocation_id, "
            "reversal_of_id) VALUES (%s, %s, %s, 'met SQL', now(), '', %s, %s, %s, %s, %s) "
            "RETURNING id",
            [fund_id, kind, day, columns["reason"], columns["contract_id"]]
            + [columns["initiative_id"], columns["allocation_id"], columns["reversal_of_id"]],
        )
        (transaction_id,) = cursor.fetchone()
        add_entries(transaction_id, lines)
    return transaction_id


def add_entries(transaction_id: int, lines) -> None:
    with connection.cursor() as cursor:
        for account_id, amount in lines:
            cursor.execute(
                "INSERT INTO sroi_entry (transaction_id, account_id, amount) VALUES (%s, %s, %s)",
                [transaction_id, account_id, Decimal(amount)],
            )


def committed(write) -> None:
    """`write()` and its deferred checks (which fire at commit) in a savepoint of the test."""
    with transaction.atomic(), connection.cursor() as cursor:
        write()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def refused(write, message: str) -> None:
    count = Transaction.objects.count()
    with pytest.raises(DatabaseError, match=message):
        committed(write)
    assert Transaction.objects.count() == count


def available(fund) -> int:
    return account(Account.Kind.AVAILABLE, fund)


def balance(account_id: int) -> Decimal:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(amount) FROM sroi_entry WHERE account_id = %s", [account_id])
        return cursor.fetchone()[0]


# --- What is still accepted --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_booking_of_the_right_shape_is_accepted_and_counts():
    fund = make_fund()
    income(fund, "100.00")
    town = account(Account.Kind.MUNICIPALITY)

    committed(
        lambda: book(fund.pk, "other_income", INCOME_DAY, [(town, "-50"), (available(fund), "50")])
    )

    assert balance(available(fund)) == Decimal("150.00")


# --- Shapes -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_money_out_of_the_fund_dressed_as_income_is_refused():
    fund = make_fund()
    income(fund, "1000.00")
    town = account(Account.Kind.MUNICIPALITY)

    refused(
        lambda: book(
            fund.pk, "other_income", INCOME_DAY, [(available(fund), "-900"), (town, "900")]
        ),
        "which a other_income never does",
    )
    assert balance(available(fund)) == Decimal("1000.00")


@pytest.mark.django_db
def test_money_from_nowhere_and_a_transaction_without_entries_are_refused():
    fund = make_fund()
    income(fund, "10.00")

    refused(
        lambda: book(fund.pk, "other_income", INCOME_DAY, [(available(fund), "5000")]),
        "not balanced",
    )
    refused(lambda: book(fund.pk, "other_income", INCOME_DAY, []), "not balanced")


@pytest.mark.django_db
def test_entries_added_to_a_booked_transaction_are_refused(servant):
    fund = make_fund()
    booked = income(fund, "1000.00")
    allocation = allocated(fund, "100.00", servant)
    kitchen = account(Account.Kind.INITIATIVE, initiative=allocation.initiative)

    refused(
        lambda: add_entries(booked.pk, [(available(fund), "-500"), (kitchen, "500")]),
        "has two entries",
    )
    assert balance(kitchen) is None


@pytest.mark.django_db
def test_a_booking_touching_another_funds_account_is_refused():
    fund, other = make_fund(), make_fund("Ander fonds")
    income(fund, "100.00")
    income(other, "100.00")

    refused(
        lambda: book(
            fund.pk,
            "other_income",
            INCOME_DAY,
            [(available(other), "-50"), (available(fund), "50")],
        ),
        "another fund",
    )


# --- Allocations ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_paying_out_more_than_the_allocation_is_refused_also_when_the_fund_has_more(servant):
    fund = make_fund()
    income(fund, "1000.00")
    small = allocated(fund, "400.00", servant)
    allocated(fund, "300.00", servant, slug="grootboek-tuin")
    kitchen = account(Account.Kind.INITIATIVE, initiative=small.initiative)
    to_kitchen = {"allocation_id": small.pk, "initiative_id": small.initiative_id}
    fund_allocated = account(Account.Kind.ALLOCATED, fund)

    # 500 of the fund's 700 allocated, but the allocation has 400.
    refused(
        lambda: book(
            fund.pk, "disbursement", timezone.localdate(),
            [(fund_allocated, "-500"), (kitchen, "500")],
            **to_kitchen,
        ),
        "paid out more than allocated",
    )  # fmt: skip
    # and taking back more than was paid out
    services.disburse(
        allocation=small, amount=Decimal("100.00"), date=timezone.localdate(), actor=servant
    )
    refused(
        lambda: book(
            fund.pk, "return", timezone.localdate(), [(kitchen, "-150"), (available(fund), "150")],
            **to_kitchen,
        ),
        "taken back more than paid out",
    )  # fmt: skip
    assert balance(kitchen) == Decimal("100.00")


@pytest.mark.django_db
def test_a_second_booking_of_an_allocation_is_refused(servant):
    fund = make_fund()
    income(fund, "1000.00")
    allocation = allocated(fund, "400.00", servant)
    fund_allocated = account(Account.Kind.ALLOCATED, fund)

    refused(
        lambda: book(
            fund.pk, "allocation", timezone.localdate(),
            [(available(fund), "-400"), (fund_allocated, "400")], allocation_id=allocation.pk,
        ),
        "transaction_one_booking_per_allocation",
    )  # fmt: skip
    assert balance(available(fund)) == Decimal("600.00")


# --- Closed years, reversals, balances by date ------------------------------------------------


@pytest.mark.django_db
def test_a_booking_in_a_closed_year_or_before_it_is_refused():
    fund = make_fund()
    last_year = timezone.localdate().year - 1
    services.close_year(year=last_year, reason="Jaarverslag", actor=None)
    town = account(Account.Kind.MUNICIPALITY)

    refused(
        lambda: book(
            fund.pk, "other_income", datetime.date(last_year, 12, 31),
            [(town, "-50"), (available(fund), "50")],
        ),
        "closed year",
    )  # fmt: skip
    # nor in a year before it: the closed year's opening balance rests on it
    refused(
        lambda: book(
            fund.pk, "other_income", datetime.date(last_year - 3, 6, 1),
            [(town, "-50"), (available(fund), "50")],
        ),
        "closed year",
    )  # fmt: skip


@pytest.mark.django_db
def test_a_reversal_must_be_the_exact_mirror_of_a_booking_that_is_no_reversal(servant):
    fund = make_fund()
    booked = income(fund, "1000.00")
    town = account(Account.Kind.MUNICIPALITY)
    undo = {"reversal_of_id": booked.pk, "reason": "Dubbel geboekt"}

    refused(
        lambda: book(
            fund.pk, "reversal", INCOME_DAY, [(available(fund), "-100"), (town, "100")], **undo
        ),
        "not the mirror",
    )
    reversal = services.reverse_transaction(transaction=booked, reason="Dubbel", actor=servant)
    refused(
        lambda: book(
            fund.pk, "reversal", INCOME_DAY, [(available(fund), "1000"), (town, "-1000")],
            reversal_of_id=reversal.pk, reason="Terug",
        ),
        "does not undo a booking",
    )  # fmt: skip


@pytest.mark.django_db
def test_no_entries_pad_a_reversal_nor_enter_a_closed_year():
    """A pair of +x and -x on one account kept a reversal's per-account mirror and went into a
    reversal dated in a closed year (insider review, 2026-12-05): no money moved, but rows were
    added to a booked transaction and to a closed year."""
    fund = make_fund()
    booked = income(fund, "1000.00")
    town = account(Account.Kind.MUNICIPALITY)
    # a reversal in the year of its booking (by SQL: the service dates one today)
    reversal = book(
        fund.pk, "reversal", INCOME_DAY, [(available(fund), "-1000"), (town, "1000")],
        reversal_of_id=booked.pk, reason="Dubbel geboekt",
    )  # fmt: skip
    pad = [(town, "5"), (town, "-5")]
    refused(lambda: add_entries(reversal, pad), "other entries than")
    services.close_year(year=INCOME_DAY.year, reason="Jaarverslag", actor=None)
    refused(lambda: add_entries(reversal, pad), "closed year")
    refused(lambda: add_entries(booked.pk, [(town, "0"), (town, "0")]), "closed year")
    assert Transaction.objects.get(pk=reversal).entries.count() == 2


@pytest.mark.django_db
def test_a_fund_is_below_zero_on_no_day_even_when_the_total_is_fine():
    fund = make_fund()
    first = income(fund, "1000.00")
    income(fund, "1000.00", timezone.localdate())
    town = account(Account.Kind.MUNICIPALITY)

    # Undoing the first income the day before it came: the total stays 1,000, but on that day
    # the fund would hold -1,000.
    refused(
        lambda: book(
            fund.pk, "reversal", INCOME_DAY - datetime.timedelta(days=1),
            [(available(fund), "-1000"), (town, "1000")],
            reversal_of_id=first.pk, reason="Fout",
        ),
        "below zero",
    )  # fmt: skip
    assert balance(available(fund)) == Decimal("2000.00")


@pytest.mark.django_db
def test_an_account_is_never_moved_to_another_fund_or_deleted():
    fund, other = make_fund(), make_fund("Ander fonds")
    income(fund, "1000.00")
    money = available(fund)

    for sql in (
        "UPDATE sroi_account SET fund_id = %(other)s WHERE id = %(account)s",
        "UPDATE sroi_account SET kind = 'allocated' WHERE id = %(account)s",
        "DELETE FROM sroi_account WHERE id = %(account)s",
    ):
        with (
            pytest.raises(DatabaseError, match="pgtrigger"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, {"other": other.pk, "account": money})
    assert Account.objects.get(pk=money).fund_id == fund.pk


@pytest.mark.django_db(transaction=True)
def test_ledger_rows_are_written_at_read_committed_only():
    """At REPEATABLE READ a check would not see what another transaction committed after this
    one began, so two drains could both pass; the ledger refuses to be written there."""
    fund = make_fund()
    town = account(Account.Kind.MUNICIPALITY)

    with pytest.raises(DatabaseError, match="READ COMMITTED"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        book(fund.pk, "other_income", INCOME_DAY, [(town, "-50"), (available(fund), "50")])
    assert not Transaction.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_leave_the_fund_at_zero_or_more(servant):
    """Two reversals of income sent with plain SQL at the same moment, each fine alone, together
    more than the fund holds: the first takes the fund's lock, the second then sees it and is
    refused. Without the lock both see 700 and both pass."""
    fund = make_fund()
    first, second = income(fund, "500.00"), income(fund, "500.00")
    income(fund, "300.00")
    allocated(fund, "600.00", servant)  # 700 left
    town = account(Account.Kind.MUNICIPALITY)
    money = available(fund)

    def work(i: int):
        undone = (first, second)[i]
        with transaction.atomic():
            book(
                fund.pk, "reversal", timezone.localdate(), [(money, "-500"), (town, "500")],
                reversal_of_id=undone.pk, reason=f"Terugbetaald {i}",
            )  # fmt: skip
        return "booked"

    results = run_together(2, work)

    assert sorted(map(str, results))[0] == "booked", results
    assert sum(result == "booked" for result in results) == 1, results
    assert balance(money) == Decimal("200.00")
