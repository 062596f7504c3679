"""Balances: a fund's position (available, committed), on a day, over time, and the lowest
balance from a day on (for back-dated bookings).

Part of `sroi.ledger_selectors`, the one read door for the ledger (its docstring has the sign
convention)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import Account, Entry, Fund
from ..valuation import ZERO
from .base import MONEY, Kind, _in_fund, _money, _sum


@dataclass(frozen=True)
class Position:
    """A fund's money at one moment: available plus committed is the balance."""

    available: Decimal
    committed: Decimal

    @property
    def balance(self) -> Decimal:
        return self.available + self.committed


def position(fund: Fund | None, *, until: datetime.date | None = None) -> Position:
    """Available and committed money of a fund (None: all funds) at the end of `until`; one query."""
    entries = Entry.objects.filter(_in_fund(fund))
    if until is not None:
        entries = entries.filter(transaction__date__lte=until)
    totals = entries.aggregate(
        available=_sum("amount", filter=Q(account__kind=Kind.AVAILABLE)),
        committed=_sum("amount", filter=Q(account__kind=Kind.ALLOCATED)),
    )
    return Position(available=totals["available"], committed=totals["committed"])


def balance(fund: Fund | None) -> Decimal:
    """A fund's money now: available plus committed."""
    return position(fund).balance


def available(fund: Fund) -> Decimal:
    """Money a fund can allocate now: its balance minus allocations not yet paid out."""
    return position(fund).available


def balance_on(fund: Fund | None, day: datetime.date) -> Decimal:
    """A fund's money (None: all funds) at the end of `day`."""
    return position(fund, until=day).balance


def balance_subquery(*, until: datetime.date | None = None) -> Subquery:
    """The balance of the fund in `OuterRef("pk")`, to annotate a Fund queryset."""
    entries = Entry.objects.filter(account__fund=OuterRef("pk"))
    if until is not None:
        entries = entries.filter(transaction__date__lte=until)
    total = entries.values("account__fund").annotate(total=_sum("amount")).values("total")
    return _money(Subquery(total, output_field=MONEY))


def funds_with_balance() -> QuerySet[Fund]:
    """Every fund with `.balance` now, in one query."""
    return Fund.objects.select_related("area").annotate(balance=balance_subquery())


def account_balance(account: Account) -> Decimal:
    """The sum of one account's entries (for the services' checks under the fund lock)."""
    return Entry.objects.filter(account=account).aggregate(total=_sum("amount"))["total"]


def balance_series(
    fund: Fund | None, *, until: datetime.date | None = None
) -> list[tuple[datetime.date, Decimal]]:
    """The fund's balance at the end of each month, from its first transaction until `until`."""
    until = until or timezone.localdate()
    months = list(
        Entry.objects.filter(_in_fund(fund), transaction__date__lte=until)
        .annotate(month=TruncMonth("transaction__date"))
        .values("month")
        .annotate(total=_sum("amount"))
        .order_by("month")
        .values_list("month", "total")
    )
    if not months:
        return []
    changes = {_as_date(month): total for month, total in months}
    series, running = [], ZERO
    month = _as_date(months[0][0])
    last = until.replace(day=1)
    while month <= last:
        running += changes.get(month, ZERO)
        series.append((month, running))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return series


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def lowest_balance_from(account: Account, date: datetime.date) -> Decimal:
    """The lowest end-of-day balance of `account` on `date` and every later day with entries.

    A booking dated `date` that takes money from the account changes all of those balances, so
    it fits only if it is at most this much. Call it under the fund's row lock (the ledger
    services do), so no booking slips in between the check and the write.
    """
    entries = Entry.objects.filter(account=account)
    running = entries.filter(transaction__date__lte=date).aggregate(total=_sum("amount"))["total"]
    running = running or ZERO
    lowest = running
    later_days = (
        entries.filter(transaction__date__gt=date)
        .values("transaction__date")
        .annotate(total=_sum("amount"))
        .order_by("transaction__date")
    )
    for day in later_days:
        running += day["total"]
        lowest = min(lowest, running)
    return lowest
