"""The report's template context, section by section: about, money, initiatives, contracts,
decisions, spending per classification, and the contents list."""

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.models import Proposal
from initiatives.classifications import Leefgebied, Phase, SocializationTargetGroup

from .. import charts
from .. import snapshot as s
from ..models import Outcome
from ..snapshot import label as _label
from .figures import LARGEST, ZERO, ContractTotals, Labelled, OutcomeView, _counts, _fund


def _spending(
    rows: tuple[s.Amount, ...], choices, title: str, description: str
) -> tuple[list[Labelled], SafeString]:
    labelled = [
        Labelled(
            code=row.code,
            label=_label(choices, row.code) if row.code else _("Not classified"),
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
        "decisions_summary": who_decided(rows),
        "decisions_by_outcome": [
            {"label": s.label(Proposal.Status, code), "count": count}
            for code, count in sorted(outcomes.items())
        ],
    }


def who_decided(rows: tuple[s.Decision, ...]) -> str:
    """The year's decisions in a sentence that names who took them: a body by its name, or
    residents in a poll ("Gemeenschapsbestuur Zuidoost nam dit jaar 2 besluiten.")."""
    count = len(rows)
    if not count:
        return _("No decision was taken this year.")
    n = number_format(count, use_l10n=True, force_grouping=True)
    # A decision without a body is a poll (the database allows no other); reports frozen
    # before the body was kept have none for any decision, and do not say who decided.
    named = any(row.body for row in rows)
    bodies: dict[str, int] = {}
    polls = 0
    for row in rows:
        if row.body:
            bodies[row.body] = bodies.get(row.body, 0) + 1
        elif row.method == Proposal.Method.POLL or named:
            polls += 1
    if not bodies and not polls:
        return ngettext(
            "%(n)s decision was taken this year.", "%(n)s decisions were taken this year.", count
        ) % {"n": n}
    if not polls and len(bodies) == 1:
        return ngettext(
            "%(body)s took %(n)s decision this year.",
            "%(body)s took %(n)s decisions this year.",
            count,
        ) % {"body": next(iter(bodies)), "n": n}
    if not bodies:
        return ngettext(
            "Residents took %(n)s decision this year, in a poll.",
            "Residents took %(n)s decisions this year, in polls.",
            count,
        ) % {"n": n}
    parts = [
        _("%(n)s by %(body)s")
        % {"n": number_format(c, use_l10n=True, force_grouping=True), "body": body}
        for body, c in sorted(bodies.items(), key=lambda item: (-item[1], item[0]))
    ]
    if polls:
        parts.append(
            ngettext("%(n)s by residents in a poll", "%(n)s by residents in polls", polls)
            % {"n": number_format(polls, use_l10n=True, force_grouping=True)}
        )
    return ngettext(
        "%(n)s decision was taken this year: %(parts)s.",
        "%(n)s decisions were taken this year: %(parts)s.",
        count,
    ) % {"n": n, "parts": get_text_list(parts, _("and"))}


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
        _("Money paid out per target group (Socialization+)"),
        _("Tranches paid to initiatives in the year, per target group of the initiative."),
    )
    totals = {
        name: sum((getattr(f.fund, name) for f in funds), ZERO)
        for name in ("opening", "total_in", "total_out", "closing")
    }
    # Of the money at the end: promised to initiatives, not yet paid; the rest is free. Only
    # when every fund knows it (reports frozen before it was kept do not).
    if funds and all(f.fund.allocated_open is not None for f in funds):
        totals["allocated_open"] = sum((f.fund.allocated_open for f in funds), ZERO)
        totals["available"] = totals["closing"] - totals["allocated_open"]
    return {
        "funds": funds,
        "totals": totals,
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
        "version": content.version,
    }
