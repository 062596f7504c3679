"""The one read door for the community fund ledger: every sum over ledger entries lives here.

The fund pages, governance (is there money for this proposal?), the annual report, open data and
the ledger services themselves ask these functions, so they cannot disagree.

Sign convention. An `Entry.amount` is signed from its account's point of view: positive adds to
the account. Every figure these functions return is said the way a person says it, never
negative in normal use:

* balance = the fund's money = available + committed;
* available = money free for new allocations (the fund's "available" account);
* committed = money allocated to initiatives but not yet paid out (the "allocated" account);
* cash paid by a contract = what left the contract's counterparty account (−its entries);
* money in (contracts, municipal top-ups, other income, money returned by initiatives) and money
  out (tranches paid to initiatives) are positive; a reversal counts under the kind of
  transaction it undoes, as a negative amount.

So, for every fund and every period: opening + money in − money out = closing. Allocations and
releases move money between available and committed; they change neither the balance nor the
flows. Days are booking dates (`Transaction.date`): "until" includes the day.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from .models import Account, Allocation, Contract, Entry, Fund, Transaction
from .models.fields import MoneyField
from .valuation import ZERO

MONEY = MoneyField()
Kind = Account.Kind
TKind = Transaction.Kind


def _money(expression):
    return Coalesce(expression, Value(ZERO), output_field=MONEY)


def _sum(expression, **kwargs):
    return _money(Sum(expression, **kwargs))


def _in_fund(fund: Fund | None) -> Q:
    """Entries on a fund's own accounts (fund None: on any fund's accounts)."""
    return Q(account__fund=fund) if fund else Q(account__fund__isnull=False)


def _of_fund(fund: Fund | None) -> Q:
    """Entries of a fund's transactions, on any account (fund None: of every fund)."""
    return Q(transaction__fund=fund) if fund else Q()


def _counts_as():
    """The kind a transaction counts as: for a reversal, the kind it undoes."""
    return Coalesce("transaction__reversal_of__kind", "transaction__kind")


# --- Balances ----------------------------------------------------------------------------------


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


# --- Flows of a year ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Flows:
    """A fund's year (or the part of it up to `last`): opening, money in by source, money out."""

    first: datetime.date
    last: datetime.date
    opening: Decimal
    from_contracts: Decimal
    from_municipality: Decimal
    other_income: Decimal
    returned: Decimal
    paid_out: Decimal
    closing: Decimal

    @property
    def year(self) -> int:
        return self.first.year

    @property
    def total_in(self) -> Decimal:
        return self.from_contracts + self.from_municipality + self.other_income + self.returned

    @property
    def total_out(self) -> Decimal:
        return self.paid_out

    @property
    def reconciles(self) -> bool:
        return self.opening + self.total_in - self.total_out == self.closing

    @property
    def interim(self) -> bool:
        """True when the figures stop before 31 December (a year that has not ended)."""
        return self.last < datetime.date(self.year, 12, 31)


# (counterparty account kind, kind counted as) → field of Flows; the fund's change is −amount.
_INFLOW_SOURCES = {
    Kind.CONTRACT: "from_contracts",
    Kind.MUNICIPALITY: "from_municipality",
    Kind.OTHER_INCOME: "other_income",
}


_FLOW_FIELDS = ("from_contracts", "from_municipality", "other_income", "returned", "paid_out")


def _period(year: int, until: datetime.date | None) -> tuple[datetime.date, datetime.date]:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return first, (min(last, until) if until is not None else last)


def flows_per_fund(
    *, year: int, until: datetime.date | None = None, fund: Fund | None = None
) -> dict[int, Flows]:
    """`flows` of every fund (or only `fund`), by fund id, in two queries.

    A fund without any transaction up to the end of the period is left out.
    """
    first, last = _period(year, until)
    ends = (
        Entry.objects.filter(_in_fund(fund), transaction__date__lte=last)
        .order_by()
        .values("transaction__fund")
        .annotate(
            opening=_sum("amount", filter=Q(transaction__date__lt=first)),
            closing=_sum("amount"),
        )
        .values_list("transaction__fund", "opening", "closing")
    )
    found = {
        pk: {"opening": opening, "closing": closing, **dict.fromkeys(_FLOW_FIELDS, ZERO)}
        for pk, opening, closing in ends
    }
    rows = (
        Entry.objects.filter(
            _of_fund(fund),
            account__fund__isnull=True,
            transaction__date__gte=first,
            transaction__date__lte=last,
        )
        .annotate(counts_as=_counts_as())
        .order_by()
        .values("transaction__fund", "account__kind", "counts_as")
        .annotate(total=_sum("amount"))
        .values_list("transaction__fund", "account__kind", "counts_as", "total")
    )
    for pk, kind, counts_as, total in rows:
        into = found[pk]
        if kind in _INFLOW_SOURCES:
            into[_INFLOW_SOURCES[kind]] -= total
        elif kind == Kind.INITIATIVE and counts_as == TKind.RETURN:
            into["returned"] -= total
        elif kind == Kind.INITIATIVE and counts_as == TKind.DISBURSEMENT:
            into["paid_out"] += total
        else:  # pragma: no cover - the services make no other counterparty entries
            raise ValueError(f"unexpected ledger entry: {kind} in a {counts_as}")
    return {pk: Flows(first=first, last=last, **values) for pk, values in found.items()}


def flows(fund: Fund | None, *, year: int, until: datetime.date | None = None) -> Flows:
    """Opening, money in per source, money out and closing of `year` for a fund (None: all).

    `until` ends the period earlier (a running year); by default 31 December. Two queries.
    """
    first, last = _period(year, until)
    names = ("opening", *_FLOW_FIELDS, "closing")
    totals = dict.fromkeys(names, ZERO)
    for one in flows_per_fund(year=year, until=until, fund=fund).values():
        for name in names:
            totals[name] += getattr(one, name)
    return Flows(first=first, last=last, **totals)


def transaction_effects(transactions) -> dict[int, tuple[Decimal, Decimal]]:
    """Per transaction: (change of its fund's balance, change of its committed money); one query."""
    return {
        row["transaction"]: (row["total"], row["committed"])
        for row in Entry.objects.filter(transaction__in=transactions)
        .order_by()
        .values("transaction")
        .annotate(
            total=_sum("amount", filter=Q(account__fund__isnull=False)),
            committed=_sum("amount", filter=Q(account__kind=Kind.ALLOCATED)),
        )
    }


def transaction_effect_annotations() -> dict:
    """The two figures of `transaction_effects` as annotations of a Transaction queryset (also
    of its `.values_list()`): `fund_change` and `allocated_change`. For streaming many rows."""
    return {
        "fund_change": _sum("entries__amount", filter=Q(entries__account__fund__isnull=False)),
        "allocated_change": _sum(
            "entries__amount", filter=Q(entries__account__kind=Kind.ALLOCATED)
        ),
    }


def fund_change_annotation():
    """Change of the fund's balance, to annotate a Transaction queryset."""
    return _sum("entries__amount", filter=Q(entries__account__fund__isnull=False))


# --- Contracts ---------------------------------------------------------------------------------


def cash_paid_subquery(*, until: datetime.date | None = None) -> Subquery:
    """Cash paid by the contract in `OuterRef("pk")` into any fund, to annotate Contracts."""
    entries = Entry.objects.filter(account__contract=OuterRef("pk"))
    if until is not None:
        entries = entries.filter(transaction__date__lte=until)
    total = entries.values("account__contract").annotate(total=_sum(-F("amount"))).values("total")
    return _money(Subquery(total, output_field=MONEY))


def cash_paid(
    contracts=None,
    *,
    fund: Fund | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> dict[int, Decimal]:
    """Cash paid per contract id (into `fund`, or any fund), net of reversals; one query.

    Contracts that paid nothing are left out.
    """
    entries = Entry.objects.filter(_of_fund(fund), account__kind=Kind.CONTRACT)
    if contracts is not None:
        entries = entries.filter(account__contract__in=contracts)
    if since is not None:
        entries = entries.filter(transaction__date__gte=since)
    if until is not None:
        entries = entries.filter(transaction__date__lte=until)
    return {
        pk: total
        for pk, total in entries.order_by()
        .values_list("account__contract")
        .annotate(total=_sum(-F("amount")))
        .values_list("account__contract", "total")
        if total
    }


def cash_paid_for(contract: Contract) -> Decimal:
    """Cash a contract has paid into the funds, net of reversals."""
    return cash_paid([contract.pk]).get(contract.pk, ZERO)


def total_cash_paid() -> Decimal:
    """Cash paid by all contracts together into all funds."""
    return Entry.objects.filter(account__kind=Kind.CONTRACT).aggregate(total=_sum(-F("amount")))[
        "total"
    ]


def per_contract(fund: Fund | None) -> list[dict]:
    """Cash each contract paid into a fund (None: all funds), largest first; one query."""
    rows = (
        Entry.objects.filter(_of_fund(fund), account__kind=Kind.CONTRACT)
        .values("account__contract", "account__contract__reference", "account__contract__title")
        .annotate(total=_sum(-F("amount")))
        .order_by("-total", "account__contract__reference")
    )
    return [row for row in rows if row["total"]]


# --- Allocations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllocationFigures:
    """What happened to an allocation's money: still to pay, paid out, returned."""

    open: Decimal = ZERO
    paid: Decimal = ZERO
    returned: Decimal = ZERO

    @property
    def with_initiative(self) -> Decimal:
        return self.paid - self.returned


def allocation_figures(
    allocations, *, until: datetime.date | None = None
) -> dict[int, AllocationFigures]:
    """Per allocation id: open, paid out and returned money at the end of `until`; one query."""
    entries = Entry.objects.filter(
        transaction__allocation__in=allocations,
        account__kind__in=[Kind.ALLOCATED, Kind.INITIATIVE],
    )
    if until is not None:
        entries = entries.filter(transaction__date__lte=until)
    found: dict[int, dict[str, Decimal]] = {}
    for pk, kind, counts_as, total in (
        entries.annotate(counts_as=_counts_as())
        .order_by()
        .values_list("transaction__allocation", "account__kind", "counts_as")
        .annotate(total=_sum("amount"))
        .values_list("transaction__allocation", "account__kind", "counts_as", "total")
    ):
        into = found.setdefault(pk, dict.fromkeys(("open", "paid", "returned"), ZERO))
        if kind == Kind.ALLOCATED:
            into["open"] += total
        elif counts_as == TKind.RETURN:
            into["returned"] -= total
        else:
            into["paid"] += total
    return {pk: AllocationFigures(**values) for pk, values in found.items()}


def allocation_figure_annotations(*, until: datetime.date | None = None) -> dict:
    """The three figures of `allocation_figures` as annotations of an Allocation queryset (also
    of its `.values_list()`): `figure_open`, `figure_paid` and `figure_returned`, each a
    subquery per allocation, so a long list streams without a dictionary of every allocation."""
    entries = Entry.objects.filter(
        transaction__allocation=OuterRef("pk"),
        account__kind__in=[Kind.ALLOCATED, Kind.INITIATIVE],
    )
    if until is not None:
        entries = entries.filter(transaction__date__lte=until)
    returned = Q(account__kind=Kind.INITIATIVE, counts_as=TKind.RETURN)

    def total(amount, condition: Q) -> Subquery:
        summed = (
            entries.annotate(counts_as=_counts_as())
            .filter(condition)
            .values("transaction__allocation")
            .annotate(total=Sum(amount))
            .values("total")
        )
        return _money(Subquery(summed, output_field=MONEY))

    return {
        "figure_open": total("amount", Q(account__kind=Kind.ALLOCATED)),
        "figure_paid": total("amount", Q(account__kind=Kind.INITIATIVE) & ~returned),
        "figure_returned": total(-F("amount"), returned),
    }


def figures_of(allocation: Allocation) -> AllocationFigures:
    return allocation_figures([allocation.pk]).get(allocation.pk, AllocationFigures())


def allocation_open(allocation: Allocation) -> Decimal:
    """Allocated to this allocation and not yet paid out or released."""
    return figures_of(allocation).open


def allocation_with_initiative(allocation: Allocation) -> Decimal:
    """Paid out under this allocation minus what the initiative returned."""
    return figures_of(allocation).with_initiative


def allocation_annotations() -> dict:
    """`open_amount` and `paid_amount` (paid minus returned) to annotate an Allocation queryset."""
    return {
        "open_amount": _sum(
            "transactions__entries__amount",
            filter=Q(transactions__entries__account__kind=Kind.ALLOCATED),
        ),
        "paid_amount": _sum(
            "transactions__entries__amount",
            filter=Q(transactions__entries__account__kind=Kind.INITIATIVE),
        ),
    }


def per_initiative(fund: Fund | None) -> list[dict]:
    """Per initiative: granted (not cancelled), paid out net of returns, still to pay; two queries."""
    of_fund = Q(fund=fund) if fund else Q()
    granted = {
        row["initiative"]: row
        for row in Allocation.objects.filter(of_fund)
        .exclude(status=Allocation.Status.CANCELLED)
        .values("initiative", "initiative__name", "initiative__slug")
        .annotate(granted=_sum("amount"))
    }
    ledger = {
        row["transaction__initiative"]: row
        for row in Entry.objects.filter(
            _of_fund(fund),
            transaction__initiative__isnull=False,
            account__kind__in=[Kind.ALLOCATED, Kind.INITIATIVE],
        )
        .values("transaction__initiative")
        .annotate(
            open=_money(
                Sum(Case(When(account__kind=Kind.ALLOCATED, then=F("amount")), output_field=MONEY))
            ),
            paid=_money(
                Sum(Case(When(account__kind=Kind.INITIATIVE, then=F("amount")), output_field=MONEY))
            ),
        )
    }
    rows = []
    for pk, row in granted.items():
        figures = ledger.get(pk, {})
        rows.append(
            {
                "name": row["initiative__name"],
                "slug": row["initiative__slug"],
                "granted": row["granted"],
                "paid": figures.get("paid", ZERO),
                "open": figures.get("open", ZERO),
            }
        )
    rows.sort(key=lambda r: (-r["granted"], r["name"]))
    return rows


__all__ = [
    "AllocationFigures",
    "Flows",
    "Position",
    "account_balance",
    "allocation_annotations",
    "allocation_figure_annotations",
    "allocation_figures",
    "allocation_open",
    "allocation_with_initiative",
    "available",
    "balance",
    "balance_on",
    "balance_series",
    "balance_subquery",
    "cash_paid",
    "cash_paid_for",
    "cash_paid_subquery",
    "flows",
    "flows_per_fund",
    "fund_change_annotation",
    "funds_with_balance",
    "per_contract",
    "per_initiative",
    "position",
    "total_cash_paid",
    "transaction_effects",
]


# --- Back-dated bookings ------------------------------------------------------------------------


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
