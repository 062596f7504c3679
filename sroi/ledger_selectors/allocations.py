"""What an allocation has had: allocated, paid, returned, released, open; and per initiative.

Part of `sroi.ledger_selectors`, the one read door for the ledger (its docstring has the sign
convention)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, F, Q, Sum, When

from ..models import Allocation, Entry, Fund
from ..valuation import ZERO
from .base import MONEY, Kind, TKind, _counts_as, _money, _of_fund, _sum


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
