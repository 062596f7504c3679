"""The funds as the report shows them: the small view types the templates read besides the
content (labels in the active language, the largest lines, groups per source, initiative and
decision, the flow chart)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sroi import valuation

from .. import charts
from .. import snapshot as s
from ..snapshot import label as _label

# How many of the largest items a table of the report shows; the rest is one line with its count
# and sum, and every line is in the annex. This keeps the PDF's page count fixed whatever the data.
LARGEST = 25


# Bands of a money-flow picture per side; the smaller ones are one band "the other N".
BANDS = 8


ZERO = Decimal(0)


@dataclass(frozen=True)
class Labelled:
    """A counted or summed classification code with its label in the active language."""

    code: str
    label: str
    count: int = 0
    amount: Decimal = ZERO


@dataclass
class Group:
    """Lines taken together (per source, per initiative): their label, sum and number."""

    label: str
    amount: Decimal = ZERO
    lines: int = 0


@dataclass
class DecisionGroup:
    """Per decision: the money it allocated in the year and the tranches paid under it, and
    the initiatives it went to (a budget round's decision funds several)."""

    decision: s.DecisionRef
    label: str
    initiatives: list[str] = field(default_factory=list)
    allocated: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def initiative(self) -> str:
        """The initiative's name, or how many there are (their amounts are in the table per
        initiative beside it)."""
        if len(self.initiatives) == 1:
            return self.initiatives[0]
        count = len(self.initiatives)
        return ngettext("%(count)d initiative", "%(count)d initiatives", count) % {"count": count}

    @property
    def amount(self) -> Decimal:
        return self.allocated


@dataclass(frozen=True)
class Ranked:
    """Groups largest first: the first rows shown, the rest summed."""

    rows: list
    rest_count: int
    rest_amount: Decimal
    count: int
    total: Decimal


@dataclass(frozen=True)
class RankedDecisions(Ranked):
    """The decisions ranked by what they allocated, with the tranches paid under them: under
    the ones not shown and under all of them."""

    rest_paid: Decimal = ZERO
    total_paid: Decimal = ZERO


@dataclass(frozen=True)
class FundView:
    """A fund as the report shows it: its figures, its largest lines, its groups and picture."""

    fund: s.Fund
    inflows: list[s.Line]
    outflows: list[s.Line]
    allocations: list[s.Line]
    line_counts: dict[str, int]
    allocations_total: Decimal
    per_source: Ranked
    per_initiative: Ranked
    per_decision: RankedDecisions
    sankey: SafeString

    def __getattr__(self, name: str):
        # name, opening, closing, totals, in_by_source, allocated_open, reconciles: the fund's own.
        if name.startswith("_") or name == "fund":
            raise AttributeError(name)
        return getattr(self.fund, name)

    @property
    def available_at_close(self) -> Decimal | None:
        allocated = self.fund.allocated_open
        return self.fund.closing - allocated if allocated is not None else None


@dataclass(frozen=True)
class ContractTotals:
    obligation: Decimal
    in_kind_total: Decimal
    cash_in_year: Decimal
    cash_to_date: Decimal
    fulfilled: Decimal
    count: int = 0

    @classmethod
    def of(cls, rows: list[s.Contract]) -> "ContractTotals":
        return cls(
            obligation=sum((row.obligation for row in rows), ZERO),
            in_kind_total=sum((row.in_kind_total for row in rows), ZERO),
            cash_in_year=sum((row.cash_in_year for row in rows), ZERO),
            cash_to_date=sum((row.cash_to_date for row in rows), ZERO),
            fulfilled=sum((row.fulfilled for row in rows), ZERO),
            count=len(rows),
        )

    @property
    def percent(self) -> int:
        """Whole percent of the obligations fulfilled, as a contract's own: the column shows
        percentages, not euros."""
        return valuation.whole_percent(valuation.share_fulfilled(self.fulfilled, self.obligation))


@dataclass(frozen=True)
class OutcomeView:
    outcome: s.Outcome
    label: str
    largest: list[s.OutcomeRow]

    def __getattr__(self, name: str):
        # code, total, initiatives, rows: the outcome's own.
        if name.startswith("_") or name == "outcome":
            raise AttributeError(name)
        return getattr(self.outcome, name)


def _counts(rows: tuple[s.Count, ...], choices) -> list[Labelled]:
    return [
        Labelled(code=row.code, label=_label(choices, row.code), count=row.count) for row in rows
    ]


def _largest(lines: tuple[s.Line, ...], limit: int = LARGEST) -> list[s.Line]:
    """The `limit` lines with the largest amounts, largest first."""
    return sorted(lines, key=lambda line: (-line.amount, line.date))[:limit]


def _ranked(groups: list, limit: int = LARGEST) -> Ranked:
    """Groups (each with an `amount`) largest first: the first `limit`, and the rest summed."""
    ranked = sorted(groups, key=lambda group: (-group.amount, str(group.label)))
    rest = ranked[limit:]
    return Ranked(
        rows=ranked[:limit],
        rest_count=len(rest),
        rest_amount=sum((group.amount for group in rest), ZERO),
        count=len(ranked),
        total=sum((group.amount for group in ranked), ZERO),
    )


def _ranked_decisions(groups: list[DecisionGroup]) -> RankedDecisions:
    ranked = _ranked(groups)
    total_paid = sum((group.paid for group in groups), ZERO)
    shown_paid = sum((group.paid for group in ranked.rows), ZERO)
    return RankedDecisions(**vars(ranked), rest_paid=total_paid - shown_paid, total_paid=total_paid)


def _bands(groups: list[Group]) -> list[charts.Item]:
    ranked = _ranked(groups, BANDS)
    items = [charts.Item(g.label, g.amount) for g in ranked.rows]
    if ranked.rest_count:
        label = ngettext("%(count)s other", "%(count)s others", ranked.rest_count) % {
            "count": ranked.rest_count
        }
        items.append(charts.Item(label, ranked.rest_amount))
    return items


def _sankey(fund: s.Fund, per_contract: list[Group], per_initiative: list[Group]) -> SafeString:
    """Left: the balance on 1 January and the money in; right: the tranches paid, then what
    is left on the report's last day (31 December, or the day of an interim report), split in
    allocated-but-not-yet-paid and still available.
    The largest sources and initiatives have a band each, the others share one."""
    sources = _bands(per_contract)
    targets = _bands(per_initiative)
    remaining = []
    if fund.allocated_open is not None:
        sources.insert(0, charts.Item(_("Balance on 1 January"), fund.opening))
        remaining = [
            charts.Item(_("Allocated, not yet paid"), fund.allocated_open),
            charts.Item(_("Still available"), fund.closing - fund.allocated_open),
        ]
    return charts.sankey(
        [item for item in sources if item.value > 0],
        charts.Item(fund.name, max(fund.opening + fund.total_in, ZERO)),
        [item for item in targets if item.value > 0],
        remaining=[item for item in remaining if item.value > 0],
        title=_("Where the money of %(fund)s came from and went") % {"fund": fund.name},
        description=_(
            "On the left the balance on 1 January and the money that came in, from contracts "
            "and other sources; the fund in the middle; on the right the tranches paid to "
            "initiatives, the money allocated to initiatives but not yet paid, and the money "
            "still available on the last day this report covers. The tables below have the same "
            "amounts."
        ),
    )


def _group(lines: tuple[s.Line, ...], key, label) -> list[Group]:
    groups: dict[str, Group] = {}
    for line in lines:
        group = groups.setdefault(key(line), Group(label=label(line)))
        group.amount += line.amount
        group.lines += 1
    return list(groups.values())


def _source_key(line: s.Line) -> str:
    if line.contract:
        return line.contract.reference
    return line.source_label


def _source_label(line: s.Line) -> str:
    contract = line.contract
    if contract:
        return f"{contract.reference} {contract.title} ({contract.contractor})"
    return line.source_label


def _initiative_key(line: s.Line) -> str:
    return line.initiative.slug if line.initiative else ""


def _initiative_name(line: s.Line) -> str:
    return line.initiative.name if line.initiative else str(_("unknown"))


def _per_decision(fund: s.Fund) -> list[DecisionGroup]:
    """Per decision: the money it allocated in the year and the tranches paid under it."""
    groups: dict[str, DecisionGroup] = {}
    for kind, lines in (("allocated", fund.allocations), ("paid", fund.outflows)):
        for line in lines:
            decision = line.decision
            if not decision:
                continue
            group = groups.setdefault(
                decision.reference, DecisionGroup(decision=decision, label=decision.reference)
            )
            if (name := _initiative_name(line)) not in group.initiatives:
                group.initiatives.append(name)
            setattr(group, kind, getattr(group, kind) + line.amount)
    return list(groups.values())


def _fund(fund: s.Fund) -> FundView:
    per_contract = _group(fund.inflows, _source_key, _source_label)
    per_initiative = _group(fund.outflows, _initiative_key, _initiative_name)
    return FundView(
        fund=fund,
        inflows=_largest(fund.inflows),
        outflows=_largest(fund.outflows),
        allocations=_largest(fund.allocations),
        line_counts={
            "in": len(fund.inflows),
            "out": len(fund.outflows),
            "allocations": len(fund.allocations),
        },
        allocations_total=sum((line.amount for line in fund.allocations), ZERO),
        per_source=_ranked(per_contract),
        per_initiative=_ranked(per_initiative),
        per_decision=_ranked_decisions(_per_decision(fund)),
        sankey=_sankey(fund, per_contract, per_initiative),
    )
