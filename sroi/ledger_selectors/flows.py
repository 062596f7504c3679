"""Money in and out of a fund in a year, per kind of source, and each transaction's effect on
the fund.

Part of `sroi.ledger_selectors`, the one read door for the ledger (its docstring has the sign
convention)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q

from ..models import Account, Entry, Fund
from ..valuation import ZERO
from .base import Kind, TKind, _counts_as, _in_fund, _of_fund, _sum


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


def flow_field(counterparty: str | None, counts_as: str) -> str | None:
    """The field of `Flows` a transaction counts in, from the kind of its account outside the
    fund (`counterparty_annotation`) and the kind it counts as (for a reversal: the kind it
    undoes); None for a move inside the fund (an allocation or a release). The one place that
    says which category of the annual report a line belongs to."""
    if counterparty in _INFLOW_SOURCES:
        return _INFLOW_SOURCES[counterparty]
    if counterparty == Kind.INITIATIVE and counts_as == TKind.RETURN:
        return "returned"
    if counterparty == Kind.INITIATIVE and counts_as == TKind.DISBURSEMENT:
        return "paid_out"
    if counterparty is None:
        return None
    raise ValueError(f"unexpected ledger entry: {counterparty} in a {counts_as}")


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
    in_period = Q(transaction__date__gte=first, transaction__date__lte=last)
    for pk, field, amount in _moves(fund, in_period):
        found[pk][field] += amount
    return {pk: Flows(first=first, last=last, **values) for pk, values in found.items()}


def _moves(fund: Fund | None, when: Q):
    """(fund id, field of Flows, amount added to it) of the counterparty entries matching
    `when`, summed per fund, counterparty kind and kind counted as: one query."""
    rows = (
        Entry.objects.filter(_of_fund(fund), when, account__fund__isnull=True)
        .annotate(counts_as=_counts_as())
        .order_by()
        .values("transaction__fund", "account__kind", "counts_as")
        .annotate(total=_sum("amount"))
        .values_list("transaction__fund", "account__kind", "counts_as", "total")
    )
    for pk, kind, counts_as, total in rows:
        field = flow_field(kind, counts_as)
        if field is None:  # pragma: no cover - counterparty entries always have an account kind
            raise ValueError(f"unexpected ledger entry: {kind} in a {counts_as}")
        # Money out is said positive: what left the fund towards the initiative.
        yield pk, field, total if field == "paid_out" else -total


@dataclass(frozen=True)
class Sources:
    """A fund's (None: all funds') money in by source and out, from its first transaction on."""

    from_contracts: Decimal = ZERO
    from_municipality: Decimal = ZERO
    other_income: Decimal = ZERO
    returned: Decimal = ZERO
    paid_out: Decimal = ZERO

    @property
    def total_in(self) -> Decimal:
        return self.from_contracts + self.from_municipality + self.other_income + self.returned

    @property
    def left(self) -> Decimal:
        """What came in and was not paid out: the fund's balance."""
        return self.total_in - self.paid_out


def since_start(fund: Fund | None) -> Sources:
    """Money in by source and out of a fund (None: all funds), since its first transaction:
    what the fund page adds up to its balance. One query."""
    totals = dict.fromkeys(_FLOW_FIELDS, ZERO)
    for _pk, field, amount in _moves(fund, Q()):
        totals[field] += amount
    return Sources(**totals)


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


def counterparty_annotation():
    """The kind of a transaction's account outside the fund (`Account.Kind`: contract,
    municipality, other income, initiative; None for a move inside the fund), to annotate a
    Transaction queryset (also its `.values()`). With the kind it counts as, `flow_field` says
    which figure of the fund's year the transaction counts in."""
    return Max(
        "entries__account__kind",
        filter=Q(entries__account__fund__isnull=True)
        & ~Q(entries__account__kind__in=Account.FUND_KINDS),
    )


def fund_change_annotation():
    """Change of the fund's balance, to annotate a Transaction queryset."""
    return _sum("entries__amount", filter=Q(entries__account__fund__isnull=False))
