"""Listing a fund's transactions, a transaction by number, and the years with bookings.

Part of `sroi.ledger_selectors`, the one read door for the ledger (its docstring has the sign
convention)."""

import datetime

from django.db.models import Count, QuerySet

from ..models import Fund, Transaction
from .flows import fund_change_annotation


def fund_transactions(fund: Fund) -> QuerySet[Transaction]:
    """A fund's transactions, newest first, with their entries and links (four queries a page)."""
    return (
        Transaction.objects.filter(fund=fund)
        .select_related("actor", "contract", "initiative", "allocation", "reversal_of")
        .prefetch_related("entries__account")
        .annotate(
            fund_change=fund_change_annotation(),
            reversed_count=Count("reversed_by"),
        )
        .order_by("-date", "-pk")
    )


def transaction(pk: int) -> Transaction:
    """One transaction with its fund (raises Transaction.DoesNotExist)."""
    return Transaction.objects.select_related("fund").get(pk=pk)


def transaction_years() -> list[datetime.date]:
    """The first day of every year that has a transaction (one query)."""
    return list(Transaction.objects.dates("date", "year"))


def first_transaction_date() -> datetime.date | None:
    """The date of the oldest transaction, or None for an empty ledger (one query)."""
    return Transaction.objects.order_by("date").values_list("date", flat=True).first()


def transactions_between(
    *, start: datetime.date | None, end: datetime.date | None, funds: list[int] | None = None
) -> QuerySet[Transaction]:
    """Transactions dated from `start` to `end` inclusive (None: no bound), optionally of some funds."""
    transactions = Transaction.objects.all()
    if start is not None:
        transactions = transactions.filter(date__gte=start)
    if end is not None:
        transactions = transactions.filter(date__lte=end)
    if funds is not None:
        transactions = transactions.filter(fund__in=funds)
    return transactions


def fund_transactions_between(
    fund: Fund, *, start: datetime.date, end: datetime.date
) -> list[Transaction]:
    """A fund's transactions dated from `start` to `end` inclusive, oldest first, with what the
    annual report shows of each (contract and contractor, initiative, allocation, reversed row)
    loaded in the same query."""
    return list(
        Transaction.objects.filter(fund=fund, date__gte=start, date__lte=end)
        .select_related(
            "contract__contractor",
            "initiative",
            "allocation__initiative",
            "reversal_of",
        )
        .order_by("date", "pk")
    )
