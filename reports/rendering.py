"""From a frozen report content to what people read: template context, HTML and PDF.

The HTML page (`/rapporten/<year>/`) and the PDF use the same context and the same body template
(`reports/partials/body.html`); the PDF wraps it in a print document with a cover, contents,
running header and page numbers (`reports/print.html` + `static/css/report-print.css`).
"""

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from initiatives.classifications import Leefgebied, Phase, SocializationTargetGroup

from . import charts
from .models import Outcome


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _counts(rows: list[dict], choices) -> list[dict]:
    return [{**row, "label": _label(choices, row["code"])} for row in rows]


def report_context(content: dict) -> dict:
    """The template context of a report, in the active language."""
    initiatives = content["initiatives"]
    by_leefgebied = _counts(initiatives["by_leefgebied"], Leefgebied)
    by_target_group = _counts(initiatives["by_target_group"], SocializationTargetGroup)
    context = {
        "content": content,
        "year": content["year"],
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
            {**row, "label": _label(Outcome.Indicator, row["code"])} for row in content["outcomes"]
        ],
    }
    context["sections"] = [
        ("initiatives", _("Initiatives")),
        ("outcomes", _("Results of initiatives")),
    ]
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
    from weasyprint import HTML

    html = render_print_html(content, language=language)
    document = HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_refuse_fetch
    ).render()
    pdf = document.write_pdf(pdf_tags=True, pdf_variant="pdf/ua-1")
    return pdf, len(document.pages)
