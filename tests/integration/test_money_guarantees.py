"""Money guarantees that the database itself keeps, on the real PostgreSQL (issue 11).

One door for money: an allocation exists only as the execution of an adopted decision, once, also
when many requests carry it out at the same moment. Nothing that counts can be rewritten: ledger
transactions and entries, closed years, carried-out decisions and their allocations refuse UPDATE
and DELETE in the database (pgtrigger), whoever sends the SQL.
"""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from governance import services as governance
from governance.models import Decision, Proposal
from sroi import services
from sroi.models import Account, Allocation, AppendOnlyError, ClosedYear, Entry, Transaction
from tests.accounts.factories import UserFactory
from tests.governance.factories import adopted, allocation_fields, voting
from tests.sroi.factories import InitiativeFactory, adopted_decision, funded

from .concurrency import run_together, session_client

pytestmark = [pytest.mark.integration]

THREADS = 20


@pytest.fixture
def servant():
    return UserFactory(username="ambtenaar-geldgarantie", roles=[Role.CIVIL_SERVANT])


def executed(servant) -> Decision:
    proposal = adopted(voting(**allocation_fields("400.00")))
    return governance.execute_decision(decision=proposal.decision, actor=servant)


def refused(sql: str, params=()) -> DatabaseError:
    """The statement fails in the database, and leaves the test's transaction usable."""
    with (
        pytest.raises(DatabaseError) as raised,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
        # Deferred constraint triggers fire at commit; make them fire now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return raised.value


# --- One door, once, under concurrency ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_executions_of_one_decision_book_one_allocation(servant):
    proposal = adopted(voting(**allocation_fields("400.00", available="1000.00")))
    decision = proposal.decision

    results = run_together(
        THREADS, lambda i: governance.execute_decision(decision=decision, actor=servant)
    )

    done = [r for r in results if isinstance(r, Decision)]
    again = [r for r in results if isinstance(r, ValidationError)]
    assert len(done) == 1 and len(again) == THREADS - 1, results
    assert all(error.code == "done" for error in again)
    assert Allocation.objects.count() == 1
    assert Transaction.objects.filter(kind=Transaction.Kind.ALLOCATION).count() == 1
    allocation = Allocation.objects.get()
    assert allocation.decision_id == decision.pk
    assert Decision.objects.get(pk=decision.pk).allocation == allocation


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_execute_requests_on_the_page_book_one_allocation(servant):
    proposal = adopted(voting(**allocation_fields("400.00", available="1000.00")))
    url = reverse("governance:execute", args=[proposal.pk])
    make_client = session_client(servant)

    results = run_together(THREADS, lambda i: make_client().post(url).status_code)

    assert not [r for r in results if isinstance(r, Exception)], results
    # Those that read the proposal after the first committed are refused by the rule (403);
    # the others wait on the decision's lock and are told it was carried out already.
    assert set(Counter(results)) <= {302, 403}, results
    assert Allocation.objects.count() == 1
    assert Transaction.objects.filter(kind=Transaction.Kind.ALLOCATION).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.EXECUTED


@pytest.mark.django_db(transaction=True)
def test_many_decisions_carried_out_at_once_never_take_the_fund_below_zero(servant):
    fund = funded("10000.00")
    decisions = [
        adopted_decision(
            fund=fund,
            initiative=InitiativeFactory(slug=f"geldgarantie-{i:02d}"),
            amount=Decimal("1000.00"),
        )
        for i in range(THREADS)
    ]
    make_client = session_client(servant)

    def work(i: int) -> int:
        url = reverse("governance:execute", args=[decisions[i].proposal_id])
        return make_client().post(url).status_code

    results = run_together(THREADS, work)

    assert Counter(results) == {302: THREADS}, results
    assert Allocation.objects.filter(fund=fund).count() == 10
    granted = Allocation.objects.aggregate(total=Sum("amount"))["total"]
    assert granted == Decimal("10000.00")
    executed_ids = set(
        Decision.objects.filter(executed_at__isnull=False).values_list("pk", flat=True)
    )
    assert executed_ids == set(Allocation.objects.values_list("decision_id", flat=True))
    available = Entry.objects.filter(account__fund=fund, account__kind=Account.Kind.AVAILABLE)
    assert available.aggregate(total=Sum("amount"))["total"] == Decimal("0.00")


# --- The database refuses rewrites -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE sroi_transaction SET date = '2020-01-01' WHERE id = %(transaction)s",
        "UPDATE sroi_transaction SET description = 'anders' WHERE id = %(transaction)s",
        "DELETE FROM sroi_transaction WHERE id = %(transaction)s",
        "UPDATE sroi_entry SET amount = amount * 2 WHERE transaction_id = %(transaction)s",
        "DELETE FROM sroi_entry WHERE transaction_id = %(transaction)s",
        "UPDATE sroi_allocation SET amount = 1 WHERE id = %(allocation)s",
        "UPDATE sroi_allocation SET decision_id = 999999 WHERE id = %(allocation)s",
        "DELETE FROM sroi_allocation WHERE id = %(allocation)s",
        "UPDATE governance_decision SET outcome = 'rejected' WHERE id = %(decision)s",
        "UPDATE governance_decision SET allocation_id = NULL, executed_at = NULL "
        "WHERE id = %(decision)s",
        "DELETE FROM governance_decision WHERE id = %(decision)s",
    ],
)
def test_raw_sql_cannot_rewrite_money_or_a_carried_out_decision(servant, sql):
    decision = executed(servant)
    allocation = decision.allocation
    booked = allocation.transactions.get()
    ids = {"transaction": booked.pk, "allocation": allocation.pk, "decision": decision.pk}
    before = list(Entry.objects.filter(transaction=booked).values_list("amount", flat=True))

    error = refused(sql, ids)

    assert "pgtrigger: Cannot" in str(error)
    assert list(Entry.objects.filter(transaction=booked).values_list("amount", flat=True)) == (
        before
    )
    assert Allocation.objects.get(pk=allocation.pk).amount == Decimal("400.00")
    assert Decision.objects.get(pk=decision.pk).executed_at is not None


@pytest.mark.django_db
def test_the_orm_back_door_cannot_rewrite_entries_either(servant):
    executed(servant)
    with pytest.raises(AppendOnlyError):
        Entry._base_manager.update(amount=Decimal("1.00"))
    # And past the ORM guard, the database says no.
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.all()._update([(Entry._meta.get_field("amount"), None, Decimal("1.00"))])


@pytest.mark.django_db
def test_an_allocation_inserted_by_sql_without_an_adopted_decision_is_refused(servant):
    decision = executed(servant)
    allocation = decision.allocation
    insert = (
        "INSERT INTO sroi_allocation (fund_id, initiative_id, amount, purpose, "
        "decision_reference, decision_id, date, status, created_at) "
        "VALUES (%(fund)s, %(initiative)s, 5000, 'x', 'BK-2099-9999', %(decision)s, "
        "CURRENT_DATE, 'open', now())"
    )
    ids = {"fund": allocation.fund_id, "initiative": allocation.initiative_id}
    # a decision that does not exist
    refused(insert, {**ids, "decision": 999999})
    # a decision carried out already (its one allocation exists)
    refused(insert, {**ids, "decision": decision.pk})
    assert Allocation.objects.count() == 1


@pytest.mark.django_db
def test_closing_an_allocation_still_works_and_then_it_is_final(servant):
    allocation = executed(servant).allocation
    services.close_allocation(allocation=allocation, actor=servant)
    assert Allocation.objects.get(pk=allocation.pk).status == Allocation.Status.CLOSED
    refused("UPDATE sroi_allocation SET status = 'open' WHERE id = %s", [allocation.pk])


@pytest.mark.django_db
def test_an_allocation_is_closed_only_with_its_rest_released(servant):
    """`status = 'closed'` by SQL alone left the unpaid rest in "allocated" for good: neither
    closing nor reversing takes a closed allocation (insider review, 2026-12-05)."""
    allocation = executed(servant).allocation
    for status in ("closed", "cancelled"):
        refused("UPDATE sroi_allocation SET status = %s WHERE id = %s", [status, allocation.pk])
    assert Allocation.objects.get(pk=allocation.pk).status == Allocation.Status.OPEN
    services.close_allocation(allocation=allocation, actor=servant)  # releases, then closes
    assert Allocation.objects.get(pk=allocation.pk).status == Allocation.Status.CLOSED


@pytest.mark.django_db
def test_a_closed_year_cannot_be_reopened_by_sql(servant):
    year = timezone.localdate().year - 1
    closed = services.close_year(year=year, reason="Klaar", actor=servant)
    refused("DELETE FROM sroi_closedyear WHERE id = %s", [closed.pk])
    refused("UPDATE sroi_closedyear SET year = 1999 WHERE id = %s", [closed.pk])
    assert ClosedYear.objects.get().year == year


# --- Closing a year while bookings arrive ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_closing_a_year_while_bookings_arrive_lets_none_in_after_it(servant):
    """Closing takes every fund's lock: a booking of that year either finished before the year
    closed, or is refused; none slips in after (and so none after the report read its figures)."""
    fund = funded("100.00")
    last_year = timezone.localdate().year - 1
    day = timezone.localdate().replace(year=last_year, month=6, day=1)

    def work(i: int):
        if i == 0:
            return services.close_year(year=last_year, reason="Jaarverslag", actor=None)
        return services.record_other_income(
            fund=fund, amount=Decimal("1.00"), date=day, description=f"Gift {i}", actor=None
        )

    results = run_together(THREADS, work)

    closed = ClosedYear.objects.get(year=last_year)
    booked = [r for r in results[1:] if isinstance(r, Transaction)]
    refused_ = [r for r in results[1:] if isinstance(r, ValidationError)]
    assert len(booked) + len(refused_) == THREADS - 1, results
    assert all("date" in error.message_dict for error in refused_)
    stored = Transaction.objects.filter(fund=fund, date=day)
    assert stored.count() == len(booked)
    assert all(record.recorded_at < closed.closed_at for record in stored)
