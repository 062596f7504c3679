"""Listing a fund's transactions, a transaction by number, and the years with bookings.

Part of `sroi.ledger_selectors`, the one read door for the ledger (its docstring has the sign
convention)."""

import datetime
from collections.abc import Iterator

from django.db.models import Count, OuterRef, QuerySet

from common.paging import count_subquery

from ..models import Allocation, Fund, Transaction
from .flows import counterparty_annotation, fund_change_annotation, transaction_effect_annotations


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


def funds_with_counts() -> QuerySet[Fund]:
    """Funds with `transaction_count` and `allocation_count`: the sizes of a fund's two
    listings (`fund_transactions`, its allocations), read with the fund, so their pagers need
    not count each."""
    return Fund.objects.annotate(
        transaction_count=count_subquery(Transaction.objects.filter(fund=OuterRef("pk"))),
        allocation_count=count_subquery(Allocation.objects.filter(fund=OuterRef("pk"))),
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


# What the annual report shows of each transaction of a fund, read as plain values.
FUND_TRANSACTION_VALUES = (
    "pk",
    "date",
    "kind",
    "reversal_of_id",
    "reversal_of__kind",
    # the published kind of reason; the civil servant's own words stay internal
    "reason_category",
    "description",
    "contract_id",
    "contract__reference",
    "contract__title",
    "contract__contractor__name",
    "initiative_id",
    "initiative__name",
    "initiative__slug",
    "allocation_id",
    "allocation__initiative__name",
    "allocation__initiative__slug",
    "allocation__decision_id",
    "allocation__decision_reference",
)


def fund_transactions_between(
    fund: Fund, *, start: datetime.date, end: datetime.date, chunk_size: int = 2_000
) -> Iterator[dict]:
    """A fund's transactions dated from `start` to `end` inclusive, oldest first, as plain values
    (`FUND_TRANSACTION_VALUES`, no model objects) with their effects summed in the database:
    `fund_change` (change of the fund's balance) and `allocated_change` (of its committed
    money), and `counterparty`: the kind of its account outside the fund (`Account.Kind`: a
    contract, the municipality, other income, an initiative; None for a move inside the fund).
    One query, read `chunk_size` rows at a time, so a big year is never in memory as objects."""
    return (
        Transaction.objects.filter(fund=fund, date__gte=start, date__lte=end)
        .order_by("date", "pk")
        .values(*FUND_TRANSACTION_VALUES)
        .annotate(
            **transaction_effect_annotations(),
            counterparty=counterparty_annotation(),
        )
        .iterator(chunk_size=chunk_size)
    )


def fund_decision_ids_between(fund: Fund, *, start: datetime.date, end: datetime.date) -> QuerySet:
    """The ids of the decisions behind the allocations that a fund's transactions dated from
    `start` to `end` inclusive belong to, as a subquery: `Decision.objects.filter(pk__in=...)`
    reads them in one query however many there are."""
    return Transaction.objects.filter(
        fund=fund, date__gte=start, date__lte=end, allocation__isnull=False
    ).values("allocation__decision_id")
