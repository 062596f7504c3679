"""Reads of contracts, realisations and funds; every list in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
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

from .models import (
    Account,
    Allocation,
    BlockCatalogue,
    BuildingBlock,
    ClosedYear,
    Contract,
    Entry,
    Fund,
    Realisation,
    Transaction,
)
from .models.fields import MoneyField
from .valuation import ZERO, Progress, progress

MONEY = MoneyField()


def _money(expression):
    return Coalesce(expression, Value(ZERO), output_field=MONEY)


# --- Building blocks ---------------------------------------------------------------------------


def catalogue_in_force(on: datetime.date) -> BlockCatalogue | None:
    """The catalogue version that applies to a contract awarded on `on`."""
    return BlockCatalogue.objects.filter(valid_from__lte=on).order_by("-valid_from").first()


def blocks_for(contract: Contract, *, bonuses: bool = False) -> QuerySet[BuildingBlock]:
    """The blocks a realisation of this contract can be claimed with (or its bonuses)."""
    catalogue = catalogue_in_force(contract.award_date)
    blocks = BuildingBlock.objects.filter(catalogue=catalogue)
    kinds = (
        [BuildingBlock.Kind.BONUS]
        if bonuses
        else [BuildingBlock.Kind.PERSON_YEAR, BuildingBlock.Kind.HOURLY, BuildingBlock.Kind.INVOICE]
    )
    return blocks.filter(kind__in=kinds).order_by("position")


# --- Contracts ---------------------------------------------------------------------------------


def contracts_with_progress() -> QuerySet[Contract]:
    """Contracts with their contractor, verified value in kind and cash paid, in one query."""
    verified = (
        Realisation.objects.filter(contract=OuterRef("pk"), status=Realisation.Status.VERIFIED)
        .values("contract")
        .annotate(total=Sum("value"))
        .values("total")
    )
    claimed = (
        Realisation.objects.filter(contract=OuterRef("pk"), status=Realisation.Status.CLAIMED)
        .values("contract")
        .annotate(total=Count("pk"))
        .values("total")
    )
    # Cash paid: what left the contract's counterparty account (negative entries), net of reversals.
    cash = (
        Entry.objects.filter(account__contract=OuterRef("pk"))
        .values("account__contract")
        .annotate(total=Sum(-F("amount")))
        .values("total")
    )
    return Contract.objects.select_related("contractor").annotate(
        verified_in_kind=_money(Subquery(verified, output_field=MONEY)),
        paid_in_cash=_money(Subquery(cash, output_field=MONEY)),
        claimed_count=Coalesce(Subquery(claimed), Value(0)),
    )


def contract_progress(contract: Contract, today: datetime.date | None = None) -> Progress:
    """Progress of a contract loaded by `contracts_with_progress` (no query)."""
    return progress(
        obligation=contract.obligation,
        verified_in_kind=contract.verified_in_kind,
        paid_in_cash=contract.paid_in_cash,
        start=contract.start_date,
        deadline=contract.fulfilment_deadline,
        today=today or timezone.localdate(),
    )


def with_progress(contracts, today: datetime.date | None = None) -> list[Contract]:
    """Attach `.progress` to each contract of an evaluated list or page."""
    today = today or timezone.localdate()
    contracts = list(contracts)
    for contract in contracts:
        contract.progress = contract_progress(contract, today)
    return contracts


def contracts_behind(today: datetime.date | None = None) -> list[Contract]:
    """Running contracts with an obligation that are behind schedule or overdue, most urgent first."""
    today = today or timezone.localdate()
    running = contracts_with_progress().filter(status=Contract.Status.RUNNING, obligation__gt=0)
    rows = [
        c for c in with_progress(running, today) if c.progress.is_behind or c.progress.is_overdue
    ]
    rows.sort(key=lambda c: (not c.progress.is_overdue, c.fulfilment_deadline, c.reference))
    return rows


def contract_detail(pk: int) -> Contract:
    contract = contracts_with_progress().get(pk=pk)
    contract.progress = contract_progress(contract)
    return contract


def contract_totals() -> dict[str, Decimal]:
    """Obligation, verified in kind and paid in cash over all contracts (two queries)."""
    totals = Contract.objects.aggregate(obligation=_money(Sum("obligation")), count=Count("pk"))
    totals["verified_in_kind"] = Realisation.objects.filter(
        status=Realisation.Status.VERIFIED
    ).aggregate(total=_money(Sum("value")))["total"]
    totals["paid_in_cash"] = Entry.objects.filter(account__kind=Account.Kind.CONTRACT).aggregate(
        total=_money(Sum(-F("amount")))
    )["total"]
    return totals


def realisations_by_block(contract: Contract) -> list[dict]:
    """Verified realisations counted per block and target group: what the public may see."""
    rows = (
        Realisation.objects.filter(contract=contract, status=Realisation.Status.VERIFIED)
        .values("block__name", "block__position", "target_group")
        .annotate(count=Count("pk"), total=Sum("value"))
        .order_by("block__position", "target_group")
    )
    labels = dict(Realisation._meta.get_field("target_group").flatchoices)
    return [{**row, "target_group_label": labels.get(row["target_group"], "")} for row in rows]


def realisations_for_staff(contract: Contract) -> QuerySet[Realisation]:
    return (
        Realisation.objects.filter(contract=contract)
        .select_related("block", "claimed_by", "decided_by")
        .prefetch_related("bonuses")
        .order_by("-claimed_at", "-pk")
    )


def realisation_detail(pk: int) -> Realisation:
    return (
        Realisation.objects.select_related("contract__contractor", "block", "claimed_by")
        .select_related("decided_by")
        .prefetch_related("bonuses")
        .get(pk=pk)
    )


# --- Funds -------------------------------------------------------------------------------------


@dataclass
class FundSummary:
    """What the public fund overview shows, for one fund or (fund None) all funds together."""

    available: Decimal
    allocated: Decimal
    inflow_this_year: Decimal
    outflow_this_year: Decimal
    year: int
    per_contract: list[dict] = field(default_factory=list)
    per_initiative: list[dict] = field(default_factory=list)
    series: list[tuple[datetime.date, Decimal]] = field(default_factory=list)

    @property
    def balance(self) -> Decimal:
        return self.available + self.allocated


def funds_with_balance() -> QuerySet[Fund]:
    total = (
        Entry.objects.filter(account__fund=OuterRef("pk"))
        .values("account__fund")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Fund.objects.select_related("area").annotate(
        balance=_money(Subquery(total, output_field=MONEY))
    )


def fund_summary(fund: Fund | None, *, year: int | None = None) -> FundSummary:
    """Balance, money in and out this year, per contract, per initiative and over time.

    Six queries, whatever the number of contracts, initiatives or transactions.
    """
    year = year or timezone.localdate().year
    in_fund = Q(account__fund=fund) if fund else Q(account__fund__isnull=False)
    of_fund = Q(transaction__fund=fund) if fund else Q()

    balances = dict(
        Entry.objects.filter(in_fund)
        .values("account__kind")
        .annotate(total=Sum("amount"))
        .values_list("account__kind", "total")
    )
    # Counterparty entries mirror what entered (negative) or left (positive) the fund.
    flows = Entry.objects.filter(
        of_fund, account__fund__isnull=True, transaction__date__year=year
    ).aggregate(
        inflow=_money(Sum(Case(When(amount__lt=0, then=-F("amount")), output_field=MONEY))),
        outflow=_money(Sum(Case(When(amount__gt=0, then=F("amount")), output_field=MONEY))),
    )
    per_contract = list(
        Entry.objects.filter(of_fund, account__kind=Account.Kind.CONTRACT)
        .values("account__contract", "account__contract__reference", "account__contract__title")
        .annotate(total=Sum(-F("amount")))
        .order_by("-total", "account__contract__reference")
    )
    per_contract = [row for row in per_contract if row["total"]]
    return FundSummary(
        available=balances.get(Account.Kind.AVAILABLE, ZERO),
        allocated=balances.get(Account.Kind.ALLOCATED, ZERO),
        inflow_this_year=flows["inflow"],
        outflow_this_year=flows["outflow"],
        year=year,
        per_contract=per_contract,
        per_initiative=_per_initiative(fund),
        series=balance_series(fund),
    )


def balance_on(fund: Fund | None, day: datetime.date) -> Decimal:
    """A fund's money (available and allocated) at the end of `day`; None: all funds.

    For the annual report: balance_on(31 Dec of last year) + money in − money out of this year
    equals balance_on(31 Dec of this year).
    """
    in_fund = Q(account__fund=fund) if fund else Q(account__fund__isnull=False)
    return Entry.objects.filter(in_fund, transaction__date__lte=day).aggregate(
        total=_money(Sum("amount"))
    )["total"]


def _per_initiative(fund: Fund | None) -> list[dict]:
    of_fund = Q(fund=fund) if fund else Q()
    granted = {
        row["initiative"]: row
        for row in Allocation.objects.filter(of_fund)
        .exclude(status=Allocation.Status.CANCELLED)
        .values("initiative", "initiative__name", "initiative__slug")
        .annotate(granted=Sum("amount"))
    }
    of_fund = Q(transaction__fund=fund) if fund else Q()
    ledger = {
        row["transaction__initiative"]: row
        for row in Entry.objects.filter(
            of_fund,
            transaction__initiative__isnull=False,
            account__kind__in=[Account.Kind.ALLOCATED, Account.Kind.INITIATIVE],
        )
        .values("transaction__initiative")
        .annotate(
            open=_money(Sum(Case(When(account__kind=Account.Kind.ALLOCATED, then=F("amount"))))),
            paid=_money(Sum(Case(When(account__kind=Account.Kind.INITIATIVE, then=F("amount"))))),
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


def balance_series(
    fund: Fund | None, *, until: datetime.date | None = None
) -> list[tuple[datetime.date, Decimal]]:
    """The fund's balance at the end of each month, from its first transaction until `until`."""
    until = until or timezone.localdate()
    in_fund = Q(account__fund=fund) if fund else Q(account__fund__isnull=False)
    months = list(
        Entry.objects.filter(in_fund, transaction__date__lte=until)
        .annotate(month=TruncMonth("transaction__date"))
        .values("month")
        .annotate(total=Sum("amount"))
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


def fund_transactions(fund: Fund) -> QuerySet[Transaction]:
    """A fund's transactions, newest first, with their entries and links (four queries a page)."""
    return (
        Transaction.objects.filter(fund=fund)
        .select_related("actor", "contract", "initiative", "allocation", "reversal_of")
        .prefetch_related("entries__account")
        .annotate(
            fund_change=_money(
                Sum("entries__amount", filter=Q(entries__account__fund__isnull=False))
            ),
            reversed_count=Count("reversed_by"),
        )
        .order_by("-date", "-pk")
    )


def allocations() -> QuerySet[Allocation]:
    """Allocations with what is still open and what the initiative holds (one query)."""
    return (
        Allocation.objects.select_related("initiative", "created_by", "fund")
        .annotate(
            open_amount=_money(
                Sum(
                    "transactions__entries__amount",
                    filter=Q(transactions__entries__account__kind=Account.Kind.ALLOCATED),
                )
            ),
            paid_amount=_money(
                Sum(
                    "transactions__entries__amount",
                    filter=Q(transactions__entries__account__kind=Account.Kind.INITIATIVE),
                )
            ),
        )
        .order_by("-date", "-pk")
    )


def allocation_detail(pk: int) -> Allocation:
    return allocations().get(pk=pk)


def history_of(instance, limit: int = 30) -> list:
    """The audit rows of a record (simple-history), newest first, with who did it."""
    return list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            :limit
        ]
    )


# --- Back-dated bookings -------------------------------------------------------------------------


def lowest_balance_from(account: Account, date: datetime.date) -> Decimal:
    """The lowest end-of-day balance of `account` on `date` and every later day with entries.

    A booking dated `date` that takes money from the account changes all of those balances, so
    it fits only if it is at most this much. Call it under the fund's row lock (the ledger
    services do), so no booking slips in between the check and the write.
    """
    entries = Entry.objects.filter(account=account)
    running = entries.filter(transaction__date__lte=date).aggregate(total=Sum("amount"))["total"]
    running = running or ZERO
    lowest = running
    later_days = (
        entries.filter(transaction__date__gt=date)
        .values("transaction__date")
        .annotate(total=Sum("amount"))
        .order_by("transaction__date")
    )
    for day in later_days:
        running += day["total"]
        lowest = min(lowest, running)
    return lowest


def closed_years() -> QuerySet[ClosedYear]:
    """The years closed for bookings, newest first, with who closed them."""
    return ClosedYear.objects.select_related("closed_by").order_by("-year")
