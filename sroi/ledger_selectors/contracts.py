"""Cash paid by contracts into the fund.

Part of `sroi.ledger_selectors`, the one read door for the ledger (its docstring has the sign
convention)."""

import datetime
from decimal import Decimal

from django.db.models import F, OuterRef, Subquery

from ..models import Contract, Entry, Fund
from ..valuation import ZERO
from .base import MONEY, Kind, _money, _of_fund, _sum


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
