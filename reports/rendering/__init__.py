"""From a frozen report content to what people read: template context, HTML and PDF.

The content is a `reports.snapshot.Content` (typed: Decimals, dates), read as it is; what the
report adds to it for display (labels in the active language, the largest lines, groups, charts)
is made here, in the small view types below.

The HTML page (`/rapporten/<year>/`) and the PDF use the same context and the same body template
(`reports/partials/body.html`); the PDF wraps it in a print document with a cover, contents,
running header and page numbers (`reports/print.html` + `static/css/report-print.css`).

Three modules: `figures` (the funds and the view types), `sections` (the context, section
by section; `report_context`), `output` (`render_print_html`, `render_pdf`).
"""

from .figures import (
    BANDS,
    LARGEST,
    ZERO,
    ContractTotals,
    DecisionGroup,
    FundView,
    Group,
    Labelled,
    OutcomeView,
    Ranked,
)
from .output import (
    render_pdf,
    render_print_html,
)
from .sections import (
    report_context,
    report_title,
)

__all__ = [
    "BANDS",
    "ContractTotals",
    "DecisionGroup",
    "FundView",
    "Group",
    "LARGEST",
    "Labelled",
    "OutcomeView",
    "Ranked",
    "ZERO",
    "render_pdf",
    "render_print_html",
    "report_context",
    "report_title",
]
