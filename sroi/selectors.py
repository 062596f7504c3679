"""Reads of contracts, realisations and funds; every list in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import disclosure
from . import ledger_selectors as ledger
from .models import (
    Allocation,
    BlockCatalogue,
    BuildingBlock,
    ClosedYear,
    Contract,
    Fund,
    Realisation,
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
    return Contract.objects.select_related("contractor").annotate(
        verified_in_kind=_money(Subquery(verified, output_field=MONEY)),
        paid_in_cash=ledger.cash_paid_subquery(),
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


EPOCH = datetime.date(1970, 1, 1)
WHOLE = BigIntegerField()


class _DayNumber(Func):
    """A date as its number of days since 1970-01-01 (an integer, on SQLite as on PostgreSQL)."""

    template = "(%(expressions)s - DATE '1970-01-01')"
    output_field = WHOLE

    def as_sqlite(self, compiler, connection, **extra_context):
        # julianday() of a date is a whole number and a half: the difference is exact.
        template = "CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


class _Cents(Func):
    """An amount in whole cents: SQLite keeps decimals as floating point, so compare integers."""

    template = "ROUND((%(expressions)s) * 100)"
    output_field = WHOLE

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "CAST(ROUND((%(expressions)s) * 100) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def contracts_behind(today: datetime.date | None = None) -> QuerySet[Contract]:
    """Running contracts with an obligation that are behind schedule or overdue, most urgent
    (overdue) first, then by deadline and reference: filtered, ordered and counted in the database.

    The same as `valuation.progress` (the reference; tests/sroi/test_behind.py compares them) in
    exact integers, fulfilled F and obligation O in cents, E days elapsed since the start, D days
    from start to deadline. With money remaining (F < O), share_fulfilled = F/O < 1, so
    `share_elapsed > share_fulfilled` holds when F < 0 (share_elapsed is never below 0), when
    the deadline passed (overdue), when a deadline on or before the start has come (elapsed 1),
    or, for a longer period, when clamp(E/D, 0, 1) > F/O, that is E·O > F·D.
    """
    today = today or timezone.localdate()
    start = _DayNumber("start_date")
    elapsed = Value((today - EPOCH).days, output_field=WHOLE) - start
    period = _DayNumber("fulfilment_deadline") - start
    deadline = F("fulfilment_deadline")
    return (
        contracts_with_progress()
        .filter(status=Contract.Status.RUNNING, obligation__gt=0)
        .alias(
            fulfilled_cents=_Cents("verified_in_kind") + _Cents("paid_in_cash"),
            obligation_cents=_Cents("obligation"),
        )
        .alias(
            elapsed_weight=elapsed * F("obligation_cents"),
            fulfilled_weight=F("fulfilled_cents") * period,
            overdue_last=Case(When(fulfilment_deadline__lt=today, then=0), default=1),
        )
        .filter(fulfilled_cents__lt=F("obligation_cents"))
        .filter(
            Q(fulfilled_cents__lt=0)
            | Q(fulfilment_deadline__lt=today)
            | (Q(fulfilment_deadline__lte=F("start_date")) & Q(fulfilment_deadline__lte=today))
            | Q(fulfilment_deadline__gt=F("start_date"), elapsed_weight__gt=F("fulfilled_weight"))
        )
        .order_by("overdue_last", deadline.asc(nulls_last=True), "reference")
    )


def contract_detail(pk: int) -> Contract:
    contract = contracts_with_progress().get(pk=pk)
    contract.progress = contract_progress(contract)
    return contract


def contract_totals(*, paid_in_cash: Decimal | None = None) -> dict[str, Decimal]:
    """Obligation, number of contracts, verified in kind (one query) and paid in cash over all
    contracts (a second query, unless the caller already has it: the cash paid per contract of
    `fund_summary(None)` adds up to it, see `cash_paid_in`)."""
    verified = (
        Realisation.objects.filter(status=Realisation.Status.VERIFIED)
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(total=Sum("value"))
        .values("total")
    )
    totals = Contract.objects.aggregate(
        obligation=_money(Sum("obligation")),
        count=Count("pk"),
        verified_in_kind=_money(Max(Subquery(verified))),
    )
    totals["paid_in_cash"] = ledger.total_cash_paid() if paid_in_cash is None else paid_in_cash
    return totals


def cash_paid_in(summary: "FundSummary") -> Decimal:
    """What all contracts paid in cash, from a summary's cash per contract (no query)."""
    return sum((row["total"] for row in summary.per_contract), Decimal("0.00"))


def realisations_by_block(contract: Contract) -> list[disclosure.Cell]:
    """Verified realisations as the public may see them (`sroi.disclosure`): per year, block and
    target group in groups of at least `OPEN_DATA_MIN_COUNT` persons, smaller ones folded into
    one "other" row per year; one query."""
    return disclosure.published_cells(
        Realisation.objects.filter(contract=contract, status=Realisation.Status.VERIFIED)
    )


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
# Every figure of a fund comes from `sroi.ledger_selectors`, the one read door for the ledger.

balance_on = ledger.balance_on
balance_series = ledger.balance_series
funds_with_balance = ledger.funds_with_balance


@dataclass
class FundFigures:
    """A fund's (or, fund None, all funds') position and this year's money in and out: the
    figures the home page shows, read by the same selectors as the fund overview."""

    position: ledger.Position
    flows: ledger.Flows

    @property
    def available(self) -> Decimal:
        return self.position.available

    @property
    def allocated(self) -> Decimal:
        return self.position.committed

    @property
    def balance(self) -> Decimal:
        return self.position.balance

    @property
    def year(self) -> int:
        return self.flows.year

    @property
    def inflow_this_year(self) -> Decimal:
        return self.flows.total_in

    @property
    def outflow_this_year(self) -> Decimal:
        return self.flows.total_out


@dataclass
class FundSummary(FundFigures):
    """What the public fund overview shows, for one fund or (fund None) all funds together."""

    per_contract: list[dict] = field(default_factory=list)
    per_initiative: list[dict] = field(default_factory=list)
    series: list[tuple[datetime.date, Decimal]] = field(default_factory=list)
    since_start: ledger.Sources = field(default_factory=ledger.Sources)

    @property
    def per_initiative_total(self) -> dict[str, Decimal]:
        """The per-initiative table's columns added up (no query)."""
        return {
            name: sum((row[name] for row in self.per_initiative), Decimal("0.00"))
            for name in ("granted", "paid", "open")
        }


def fund_summary(fund: Fund | None, *, year: int | None = None) -> FundSummary:
    """Balance, money in per source and out this year, per contract, per initiative, over time.

    Eight queries, whatever the number of contracts, initiatives or transactions.
    """
    today = timezone.localdate()
    return FundSummary(
        position=ledger.position(fund),
        flows=ledger.flows(fund, year=year or today.year, until=today),
        per_contract=ledger.per_contract(fund),
        per_initiative=ledger.per_initiative(fund),
        series=ledger.balance_series(fund),
        since_start=ledger.since_start(fund),
    )


def fund_figures(fund: Fund | None) -> FundFigures:
    """Balance and this year's money in and out (two queries), as in `fund_summary`."""
    today = timezone.localdate()
    return FundFigures(
        position=ledger.position(fund), flows=ledger.flows(fund, year=today.year, until=today)
    )


def fund_position(fund: Fund) -> "ledger.Position":
    """Available, committed (allocated, not yet paid out) and the balance: one query."""
    return ledger.position(fund)


fund_transactions = ledger.fund_transactions
funds_with_counts = ledger.funds_with_counts


def allocations() -> QuerySet[Allocation]:
    """Allocations with what is still open and what the initiative holds (one query)."""
    return (
        Allocation.objects.select_related("initiative", "created_by", "fund")
        .annotate(**ledger.allocation_annotations())
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


# Kept here too: the ledger services and older tests import it from this module.
lowest_balance_from = ledger.lowest_balance_from


def closed_years() -> QuerySet[ClosedYear]:
    """The years closed for bookings, newest first, with who closed them."""
    return ClosedYear.objects.select_related("closed_by").order_by("-year")
