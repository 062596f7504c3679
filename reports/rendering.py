"""From a frozen report content to what people read: template context, HTML and PDF.

The HTML page (`/rapporten/<year>/`) and the PDF use the same context and the same body template
(`reports/partials/body.html`); the PDF wraps it in a print document with a cover, contents,
running header and page numbers (`reports/print.html` + `static/css/report-print.css`).
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from governance import tally
from governance.models import Proposal
from initiatives.classifications import Leefgebied, Phase, SocializationTargetGroup
from sroi.models import Transaction

from . import charts
from .models import Outcome


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _counts(rows: list[dict], choices) -> list[dict]:
    return [{**row, "label": _label(choices, row["code"])} for row in rows]


def _amounts(row: dict, *names: str) -> dict:
    return {**row, **{name: Decimal(row[name]) for name in names if row.get(name) is not None}}


def _decision(data: dict | None) -> dict | None:
    if not data:
        return data
    explanation = ""
    if data.get("tally"):
        explanation = tally.explain(tally.TallyResult.from_dict(data["tally"]))
    return {**data, "explanation": explanation}


def _line(line: dict) -> dict:
    return {
        **_amounts(line, "amount"),
        "date": date.fromisoformat(line["date"]),
        "kind_label": _label(Transaction.Kind, line["kind"]),
        "decision": _decision(line.get("decision")),
    }


# How many of the largest items a table of the report shows; the rest is one line with its count
# and sum, and every line is in the annex. This keeps the PDF's page count fixed whatever the data.
LARGEST = 25
# Bands of a money-flow picture per side; the smaller ones are one band "the other N".
BANDS = 8


def _largest(lines: list[dict], limit: int = LARGEST) -> list[dict]:
    """The `limit` lines with the largest amounts, largest first, ready to show."""
    ranked = sorted(lines, key=lambda line: (-Decimal(line["amount"]), line["date"]))
    return [_line(line) for line in ranked[:limit]]


def _ranked(groups: list[dict], limit: int = LARGEST) -> dict:
    """Groups (each with an `amount`) largest first: the first `limit`, and the rest summed."""
    ranked = sorted(groups, key=lambda group: (-group["amount"], str(group["label"])))
    rest = ranked[limit:]
    return {
        "rows": ranked[:limit],
        "rest_count": len(rest),
        "rest_amount": sum((group["amount"] for group in rest), Decimal(0)),
        "count": len(ranked),
        "total": sum((group["amount"] for group in ranked), Decimal(0)),
    }


def _bands(groups: list[dict]) -> list:
    ranked = _ranked(groups, BANDS)
    items = [charts.Item(g["label"], g["amount"]) for g in ranked["rows"]]
    if ranked["rest_count"]:
        label = _("%(count)s others") % {"count": ranked["rest_count"]}
        items.append(charts.Item(label, ranked["rest_amount"]))
    return items


def _sankey(name: str, figures: tuple, per_contract: list[dict], per_initiative: list[dict]):
    """Left: the balance on 1 January and the money in; right: the tranches paid, then what
    is left at the end of the year, split in allocated-but-not-yet-paid and still available.
    The largest sources and initiatives have a band each, the others share one."""
    opening, total_in, closing, allocated_open = figures
    sources = _bands(per_contract)
    targets = _bands(per_initiative)
    remaining = []
    if allocated_open is not None:
        sources.insert(0, charts.Item(_("Balance on 1 January"), opening))
        remaining = [
            charts.Item(_("Allocated, not yet paid"), allocated_open),
            charts.Item(_("Still available"), closing - allocated_open),
        ]
    return charts.sankey(
        [item for item in sources if item.value > 0],
        charts.Item(name, max(opening + total_in, Decimal(0))),
        [item for item in targets if item.value > 0],
        remaining=[item for item in remaining if item.value > 0],
        title=_("Where the money of %(fund)s came from and went") % {"fund": name},
        description=_(
            "On the left the balance on 1 January and the money that came in, from contracts "
            "and other sources; the fund in the middle; on the right the tranches paid to "
            "initiatives, the money allocated to initiatives but not yet paid, and the money "
            "still available at the end of the year. The tables below have the same amounts."
        ),
    )


def _group(lines: list[dict], key, label) -> list[dict]:
    groups: dict[str, dict] = {}
    for line in lines:
        name = key(line)
        group = groups.setdefault(name, {"label": label(line), "amount": Decimal(0), "lines": 0})
        group["amount"] += Decimal(line["amount"])
        group["lines"] += 1
    return list(groups.values())


def _source_key(line: dict) -> str:
    if line["contract"]:
        return line["contract"]["reference"]
    return _label(Transaction.Kind, line["counts_as"])


def _source_label(line: dict) -> str:
    contract = line["contract"]
    if contract:
        return f"{contract['reference']} {contract['title']} ({contract['contractor']})"
    return _label(Transaction.Kind, line["counts_as"])


def _initiative_name(line: dict) -> str:
    return line["initiative"]["name"] if line["initiative"] else str(_("unknown"))


def _per_decision(fund: dict) -> list[dict]:
    """Per decision: the money it allocated in the year and the tranches paid under it."""
    groups: dict[str, dict] = {}
    for kind, lines in (("allocated", fund["allocations"]), ("paid", fund["outflows"])):
        for line in lines:
            decision = line.get("decision")
            if not decision:
                continue
            group = groups.setdefault(
                decision["reference"],
                {
                    "decision": decision,
                    "label": decision["reference"],
                    "initiative": _initiative_name(line),
                    "allocated": Decimal(0),
                    "paid": Decimal(0),
                },
            )
            group[kind] += Decimal(line["amount"])
    for group in groups.values():
        group["amount"] = group["allocated"]
    return list(groups.values())


def _funds(content: dict) -> list[dict]:
    funds = []
    for fund in content.get("funds", []):
        raw_in, raw_out, raw_internal = fund["inflows"], fund["outflows"], fund["allocations"]
        per_contract = _group(raw_in, _source_key, _source_label)
        per_initiative = _group(
            raw_out,
            lambda line: line["initiative"]["slug"] if line["initiative"] else "",
            _initiative_name,
        )
        per_decision = _ranked(_per_decision(fund))
        per_decision["rows"] = [
            {**row, "decision": _decision(row["decision"])} for row in per_decision["rows"]
        ]
        opening, closing = Decimal(fund["opening"]), Decimal(fund["closing"])
        total_in, total_out = Decimal(fund["total_in"]), Decimal(fund["total_out"])
        # Reports frozen before this was recorded have no split of the closing balance.
        allocated_open = Decimal(fund["allocated_open"]) if "allocated_open" in fund else None
        funds.append(
            {
                **fund,
                "opening": opening,
                "closing": closing,
                "total_in": total_in,
                "total_out": total_out,
                "reconciles": opening + total_in - total_out == closing,
                # Reports made before the ledger's read door have no split per source.
                "in_by_source": {
                    name: Decimal(amount) for name, amount in fund.get("in_by_source", {}).items()
                },
                "inflows": _largest(raw_in),
                "outflows": _largest(raw_out),
                "allocations": _largest(raw_internal),
                "line_counts": {
                    "in": len(raw_in),
                    "out": len(raw_out),
                    "allocations": len(raw_internal),
                },
                "allocations_total": sum(
                    (Decimal(line["amount"]) for line in raw_internal), Decimal(0)
                ),
                "per_source": _ranked(per_contract),
                "per_initiative": _ranked(per_initiative),
                "per_decision": per_decision,
                "allocated_open": allocated_open,
                "available_at_close": (
                    closing - allocated_open if allocated_open is not None else None
                ),
                "sankey": _sankey(
                    fund["name"],
                    (opening, total_in, closing, allocated_open),
                    per_contract,
                    per_initiative,
                ),
            }
        )
    return funds


def _spending(rows: list[dict], choices, title: str, description: str):
    rows = [
        {
            **_amounts(row, "amount"),
            "label": _label(choices, row["code"]) if row["code"] else _("not classified"),
        }
        for row in rows
    ]
    chart = charts.bar_chart(
        [charts.Item(row["label"], row["amount"]) for row in rows],
        title=title,
        description=description,
    )
    return rows, chart


def _contract_row(row: dict) -> dict:
    return _amounts(
        {**row, "in_kind": [_amounts(b, "amount") for b in row["in_kind"]]},
        "value",
        "obligation",
        "in_kind_total",
        "cash_in_year",
        "cash_to_date",
        "fulfilled",
        "remaining",
        "shortfall",
    )


def _contracts(rows: list[dict]) -> dict:
    """The contracts with the largest obligations, those furthest behind, and the totals."""

    def total(name: str, among: list[dict] = rows) -> Decimal:
        return sum((Decimal(row[name]) for row in among), Decimal(0))

    by_obligation = sorted(rows, key=lambda row: (-Decimal(row["obligation"]), row["reference"]))
    behind = [row for row in rows if row["behind"] or row["overdue"]]
    by_shortfall = sorted(behind, key=lambda row: (-Decimal(row["shortfall"]), row["reference"]))
    rest = by_obligation[LARGEST:]
    return {
        "contracts": [_contract_row(row) for row in by_obligation[:LARGEST]],
        "contracts_count": len(rows),
        "contracts_rest": {
            "count": len(rest),
            "obligation": total("obligation", rest),
            "in_kind_total": total("in_kind_total", rest),
            "cash_in_year": total("cash_in_year", rest),
            "fulfilled": total("fulfilled", rest),
        },
        "contracts_total": {
            name: total(name)
            for name in ("obligation", "in_kind_total", "cash_in_year", "fulfilled")
        },
        "contracts_behind": [_contract_row(row) for row in by_shortfall[:LARGEST]],
        "contracts_behind_count": len(behind),
    }


def _decisions(rows: list[dict]) -> dict:
    """Every decision while they fit on a few pages; else the most recent ones and the counts.
    All of them, with their tallies, are in the annex."""
    shown = rows if len(rows) <= 2 * LARGEST else rows[-LARGEST:]
    outcomes: dict[str, int] = {}
    for row in rows:
        outcomes[row["outcome"]] = outcomes.get(row["outcome"], 0) + 1
    return {
        "decisions": [
            {**_decision(row), "outcome_label": _label(Proposal.Status, row["outcome"])}
            for row in shown
        ],
        "decisions_count": len(rows),
        "decisions_by_outcome": [
            {"label": _label(Proposal.Status, code), "count": count}
            for code, count in sorted(outcomes.items())
        ],
    }


def _annex(content: dict) -> dict | None:
    """The frozen open-data files and the check that they add up to the report's figures."""
    annex = content.get("annex")
    if not annex:
        return None
    return {
        **annex,
        "reconciliation": [
            _amounts(row, "total_in", "total_out", "annex_in", "annex_out", "change")
            for row in annex["reconciliation"]
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


def report_context(content: dict) -> dict:
    """The template context of a report, in the active language."""
    initiatives = content["initiatives"]
    by_leefgebied = _counts(initiatives["by_leefgebied"], Leefgebied)
    by_target_group = _counts(initiatives["by_target_group"], SocializationTargetGroup)
    interim = bool(content.get("interim"))
    as_of = date.fromisoformat(content["as_of"]) if content.get("as_of") else None
    context = {
        "content": content,
        "year": content["year"],
        "interim": interim,
        "as_of": as_of,
        "title": report_title(content["year"], as_of if interim else None),
        "area": content.get("area"),
        "municipality": content["municipality"],
        "generated_at": parse_datetime(content["generated_at"]),
        "initiatives": {
            **initiatives,
            "by_phase": _counts(initiatives["by_phase"], Phase),
            "by_leefgebied": by_leefgebied,
            "by_target_group": by_target_group,
        },
        "initiatives_leefgebied_chart": charts.bar_chart(
            [charts.Item(row["label"], Decimal(row["count"])) for row in by_leefgebied],
            title=_("Initiatives per leefgebied"),
            description=_("Number of registered initiatives working on each leefgebied."),
            money=False,
        ),
        "outcomes": [
            {
                **row,
                "label": _label(Outcome.Indicator, row["code"]),
                "largest": sorted(row["rows"], key=lambda item: -item["value"])[:LARGEST],
            }
            for row in content["outcomes"]
        ],
    }
    funds = _funds(content)
    by_leefgebied, by_leefgebied_chart = _spending(
        content.get("spending_by_leefgebied", []),
        Leefgebied,
        _("Money paid out per leefgebied"),
        _("Tranches paid to initiatives in the year, per leefgebied of the initiative."),
    )
    by_target_group, by_target_group_chart = _spending(
        content.get("spending_by_target_group", []),
        SocializationTargetGroup,
        _("Money paid out per target group"),
        _("Tranches paid to initiatives in the year, per target group of the initiative."),
    )
    governance = content.get("governance", {"decisions": [], "bodies": []})
    context.update(
        {
            "funds": funds,
            "totals": {
                "opening": sum((f["opening"] for f in funds), Decimal(0)),
                "total_in": sum((f["total_in"] for f in funds), Decimal(0)),
                "total_out": sum((f["total_out"] for f in funds), Decimal(0)),
                "closing": sum((f["closing"] for f in funds), Decimal(0)),
            },
            **_contracts(content.get("contracts", [])),
            "spending_by_leefgebied": by_leefgebied,
            "spending_by_leefgebied_chart": by_leefgebied_chart,
            "spending_by_target_group": by_target_group,
            "spending_by_target_group_chart": by_target_group_chart,
            **_decisions(governance["decisions"]),
            "bodies": governance["bodies"],
            "budget_rounds": content.get("budget_rounds", []),
        }
    )
    context["sections"] = [
        ("summary", _("Summary")),
        ("funds", _("The funds")),
        ("where", _("Where the money went")),
        ("contracts", _("Contracts and their social return")),
        ("governance", _("Decisions and bodies")),
        ("initiatives", _("Initiatives")),
        ("outcomes", _("Results of initiatives")),
        *([("budget-rounds", _("Budget rounds"))] if context["budget_rounds"] else []),
        ("annex", _("The complete listing (annex)")),
        ("about", _("About this report")),
    ]
    context["annex"] = _annex(content)
    return context


def render_print_html(content: dict, *, language: str) -> str:
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


def render_pdf(content: dict, *, language: str) -> tuple[bytes, int]:
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
