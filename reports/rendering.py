"""From a frozen report content to what people read: template context, HTML and PDF.

The content is a `reports.snapshot.Content` (typed: Decimals, dates), read as it is; what the
report adds to it for display (labels in the active language, the largest lines, groups, charts)
is made here, in the small view types below.

The HTML page (`/rapporten/<year>/`) and the PDF use the same context and the same body template
(`reports/partials/body.html`); the PDF wraps it in a print document with a cover, contents,
running header and page numbers (`reports/print.html` + `static/css/report-print.css`).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from governance.models import Proposal
from initiatives.classifications import Leefgebied, Phase, SocializationTargetGroup
from sroi.models import Transaction

from . import charts
from . import snapshot as s
from .models import Outcome
from .snapshot import label as _label

# How many of the largest items a table of the report shows; the rest is one line with its count
# and sum, and every line is in the annex. This keeps the PDF's page count fixed whatever the data.
LARGEST = 25
# Bands of a money-flow picture per side; the smaller ones are one band "the other N".
BANDS = 8
ZERO = Decimal(0)


# --- what the templates read besides the content itself -----------------------------------


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
    """Per decision: the money it allocated in the year and the tranches paid under it."""

    decision: s.DecisionRef
    label: str
    initiative: str
    allocated: Decimal = ZERO
    paid: Decimal = ZERO

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
    per_decision: Ranked
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
    fulfilled: Decimal
    count: int = 0

    @classmethod
    def of(cls, rows: list[s.Contract]) -> "ContractTotals":
        return cls(
            obligation=sum((row.obligation for row in rows), ZERO),
            in_kind_total=sum((row.in_kind_total for row in rows), ZERO),
            cash_in_year=sum((row.cash_in_year for row in rows), ZERO),
            fulfilled=sum((row.fulfilled for row in rows), ZERO),
            count=len(rows),
        )


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


# --- the funds ------------------------------------------------------------------------------


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


def _bands(groups: list[Group]) -> list[charts.Item]:
    ranked = _ranked(groups, BANDS)
    items = [charts.Item(g.label, g.amount) for g in ranked.rows]
    if ranked.rest_count:
        label = _("%(count)s others") % {"count": ranked.rest_count}
        items.append(charts.Item(label, ranked.rest_amount))
    return items


def _sankey(fund: s.Fund, per_contract: list[Group], per_initiative: list[Group]) -> SafeString:
    """Left: the balance on 1 January and the money in; right: the tranches paid, then what
    is left at the end of the year, split in allocated-but-not-yet-paid and still available.
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
            "still available at the end of the year. The tables below have the same amounts."
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
    return _label(Transaction.Kind, line.counts_as)


def _source_label(line: s.Line) -> str:
    contract = line.contract
    if contract:
        return f"{contract.reference} {contract.title} ({contract.contractor})"
    return _label(Transaction.Kind, line.counts_as)


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
                decision.reference,
                DecisionGroup(
                    decision=decision,
                    label=decision.reference,
                    initiative=_initiative_name(line),
                ),
            )
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
        per_decision=_ranked(_per_decision(fund)),
        sankey=_sankey(fund, per_contract, per_initiative),
    )


# --- the other sections ---------------------------------------------------------------------


def _spending(
    rows: tuple[s.Amount, ...], choices, title: str, description: str
) -> tuple[list[Labelled], SafeString]:
    labelled = [
        Labelled(
            code=row.code,
            label=_label(choices, row.code) if row.code else _("not classified"),
            amount=row.amount,
        )
        for row in rows
    ]
    chart = charts.bar_chart(
        [charts.Item(row.label, row.amount) for row in labelled],
        title=title,
        description=description,
    )
    return labelled, chart


def _contracts(rows: tuple[s.Contract, ...]) -> dict:
    """The contracts with the largest obligations, those furthest behind, and the totals."""
    by_obligation = sorted(rows, key=lambda row: (-row.obligation, row.reference))
    behind = [row for row in rows if row.behind or row.overdue]
    by_shortfall = sorted(behind, key=lambda row: (-row.shortfall, row.reference))
    return {
        "contracts": by_obligation[:LARGEST],
        "contracts_count": len(rows),
        "contracts_rest": ContractTotals.of(by_obligation[LARGEST:]),
        "contracts_total": ContractTotals.of(list(rows)),
        "contracts_behind": by_shortfall[:LARGEST],
        "contracts_behind_count": len(behind),
    }


def _decisions(rows: tuple[s.Decision, ...]) -> dict:
    """Every decision while they fit on a few pages; else the most recent ones and the counts.
    All of them, with their tallies, are in the annex."""
    shown = rows if len(rows) <= 2 * LARGEST else rows[-LARGEST:]
    outcomes: dict[str, int] = {}
    for row in rows:
        outcomes[row.outcome] = outcomes.get(row.outcome, 0) + 1
    return {
        "decisions": list(shown),
        "decisions_count": len(rows),
        "decisions_by_outcome": [
            {"label": s.label(Proposal.Status, code), "count": count}
            for code, count in sorted(outcomes.items())
        ],
    }


def report_title(year: int, interim_until: date | None = None) -> str:
    """ "Annual report 2025", or for a year that had not ended "Report 2026 – interim, up to …"."""
    if interim_until is None:
        return _("Annual report %(year)s") % {"year": year}
    return _("Report %(year)s – interim, up to %(date)s") % {
        "year": year,
        "date": date_format(interim_until, "j F Y"),
    }


def _about(content: s.Content) -> dict:
    """Year, scope, interim or not, and when the content was frozen."""
    interim = content.interim
    return {
        "content": content,
        "year": content.year,
        "interim": interim,
        "as_of": content.as_of,
        "title": report_title(content.year, content.as_of if interim else None),
        "area": content.area,
        "municipality": content.municipality,
        "generated_at": content.generated_at,
    }


def _initiatives(content: s.Content) -> dict:
    """The register in counts, and what initiatives recorded on the indicators."""
    initiatives = content.initiatives
    by_leefgebied = _counts(initiatives.by_leefgebied, Leefgebied)
    return {
        "initiatives": {
            "total": initiatives.total,
            "new_in_year": initiatives.new_in_year,
            "by_phase": _counts(initiatives.by_phase, Phase),
            "by_leefgebied": by_leefgebied,
            "by_target_group": _counts(initiatives.by_target_group, SocializationTargetGroup),
        },
        "initiatives_leefgebied_chart": charts.bar_chart(
            [charts.Item(row.label, Decimal(row.count)) for row in by_leefgebied],
            title=_("Initiatives per leefgebied"),
            description=_("Number of registered initiatives working on each leefgebied."),
            money=False,
        ),
        "outcomes": [
            OutcomeView(
                outcome=row,
                label=_label(Outcome.Indicator, row.code),
                largest=sorted(row.rows, key=lambda item: -item.value)[:LARGEST],
            )
            for row in content.outcomes
        ],
    }


def _money(content: s.Content) -> dict:
    """The funds with their totals, and where the money went per classification."""
    funds = [_fund(fund) for fund in content.funds]
    by_leefgebied, by_leefgebied_chart = _spending(
        content.spending_by_leefgebied,
        Leefgebied,
        _("Money paid out per leefgebied"),
        _("Tranches paid to initiatives in the year, per leefgebied of the initiative."),
    )
    by_target_group, by_target_group_chart = _spending(
        content.spending_by_target_group,
        SocializationTargetGroup,
        _("Money paid out per target group"),
        _("Tranches paid to initiatives in the year, per target group of the initiative."),
    )
    return {
        "funds": funds,
        "totals": {
            name: sum((getattr(f.fund, name) for f in funds), ZERO)
            for name in ("opening", "total_in", "total_out", "closing")
        },
        "spending_by_leefgebied": by_leefgebied,
        "spending_by_leefgebied_chart": by_leefgebied_chart,
        "spending_by_target_group": by_target_group,
        "spending_by_target_group_chart": by_target_group_chart,
    }


def _sections(content: s.Content) -> list[tuple[str, str]]:
    """The table of contents: (anchor, title) per section."""
    return [
        ("summary", _("Summary")),
        ("funds", _("The funds")),
        ("where", _("Where the money went")),
        ("contracts", _("Contracts and their social return")),
        ("governance", _("Decisions and bodies")),
        ("initiatives", _("Initiatives")),
        ("outcomes", _("Results of initiatives")),
        *([("budget-rounds", _("Budget rounds"))] if content.budget_rounds else []),
        ("annex", _("The complete listing (annex)")),
        ("about", _("About this report")),
    ]


def report_context(content: s.Content) -> dict:
    """The template context of a report, in the active language."""
    return {
        **_about(content),
        **_initiatives(content),
        **_money(content),
        **_contracts(content.contracts),
        **_decisions(content.governance.decisions),
        "bodies": content.governance.bodies,
        "budget_rounds": content.budget_rounds,
        "sections": _sections(content),
        "annex": content.annex,
    }


def render_print_html(content: s.Content, *, language: str) -> str:
    """The whole print document (cover, contents, body) in `language`."""
    with translation.override(language):
        context = report_context(content)
        context["language"] = language
        context["stylesheet"] = Path(finders.find("css/report-print.css")).read_text(
            encoding="utf-8"
        )
        return render_to_string("reports/print.html", context)


def _refuse_fetch(url: str, *args, **kwargs):
    """WeasyPrint may not fetch anything: everything the report needs is inline."""
    raise ValueError(f"the report refers to an outside resource: {url}")


def render_pdf(content: s.Content, *, language: str) -> tuple[bytes, int]:
    """The report as a tagged PDF (title, language, headings); returns the bytes and page count."""
    # Imported here on purpose: WeasyPrint is large, and only the worker renders PDFs; the web
    # processes import this module for the HTML page and never pay for it.
    from weasyprint import HTML

    html = render_print_html(content, language=language)
    document = HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_refuse_fetch
    ).render()
    pdf = document.write_pdf(pdf_tags=True, pdf_variant="pdf/ua-1")
    return pdf, len(document.pages)
